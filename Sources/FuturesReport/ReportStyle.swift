/// How a report is drawn: Unicode or ASCII glyphs, colours or none.
public struct ReportStyle: Sendable {
    public var unicode: Bool
    public var color: Bool
    /// Columns for the timeline's time axis.
    public var timelineWidth: Int

    public init(unicode: Bool = true, color: Bool = false, timelineWidth: Int = 60) {
        self.unicode = unicode
        self.color = color
        self.timelineWidth = max(20, timelineWidth)
    }

    var taskGlyph: Character { unicode ? "█" : "#" }
    var waitGlyph: Character { unicode ? "░" : "-" }
    var sleepGlyph: Character { unicode ? "·" : "." }
    var gilGlyph: Character { unicode ? "▒" : "g" }
    var holdGlyph: Character { unicode ? "▓" : "=" }
    var pass: String { unicode ? "✔" : "PASS" }
    var fail: String { unicode ? "✘" : "FAIL" }

    public enum Color: String, Sendable {
        case red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36", dim = "2", bold = "1"
    }

    public func paint(_ text: String, _ color: Color) -> String {
        self.color ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// `text` padded with spaces (or cut) to `width` characters.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
}

func padLeft(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
