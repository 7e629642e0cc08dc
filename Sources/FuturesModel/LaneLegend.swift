/// How every view draws a lane: one glyph, colour and word per segment kind
/// and per mark, shared by the dashboard, the headless timeline, the SVG and
/// the Chrome export, and listed under every timeline (only what occurs).
///
/// Red is kept for deadlocks (and, in the futures table, for errors), so a
/// wait for the GIL never reads as a failure.
public struct LegendEntry: Sendable, Equatable {
    public enum Color: String, Sendable, CaseIterable {
        case blue, magenta, yellow, cyan, green, gray, red, normal

        /// The SVG's and HTML's colour.
        public var hex: String {
            switch self {
            case .blue: "#3b7dd8"
            case .magenta: "#b45cc8"
            case .yellow: "#e0a800"
            case .cyan: "#17a2b8"
            case .green: "#3a9d4a"
            case .gray: "#9a9a9a"
            case .red: "#d62728"
            case .normal: "#333333"
            }
        }
    }

    /// Drawn in a terminal cell.
    public var glyph: Character
    /// Drawn where only ASCII will do (`--ascii`).
    public var ascii: Character
    public var color: Color
    public var word: String
}

extension LaneModel.SegmentKind {
    public var legend: LegendEntry {
        switch self {
        case .running: LegendEntry(glyph: "█", ascii: "#", color: .blue, word: "running")
        case .gilWait: LegendEntry(glyph: "▒", ascii: "g", color: .magenta, word: "waiting for the GIL")
        case .lockWait: LegendEntry(glyph: "░", ascii: "l", color: .yellow, word: "waiting for a lock")
        case .queueWait: LegendEntry(glyph: "≈", ascii: "q", color: .cyan, word: "waiting on a queue")
        case .futureWait: LegendEntry(glyph: "─", ascii: "-", color: .green, word: "waiting for a future")
        case .sleep: LegendEntry(glyph: "·", ascii: ".", color: .gray, word: "sleeping")
        case .io: LegendEntry(glyph: "~", ascii: "~", color: .gray, word: "in I/O")
        case .selectWait: LegendEntry(glyph: "┄", ascii: "s", color: .cyan, word: "waiting in select")
        case .idle: LegendEntry(glyph: " ", ascii: " ", color: .normal, word: "idle")
        case .deadlocked: LegendEntry(glyph: "╳", ascii: "X", color: .red, word: "deadlocked")
        }
    }
}

extension LaneModel.Mark.Kind {
    public var legend: LegendEntry {
        switch self {
        case .put: LegendEntry(glyph: "+", ascii: "+", color: .cyan, word: "put")
        case .get: LegendEntry(glyph: "-", ascii: "-", color: .cyan, word: "get")
        case .notify: LegendEntry(glyph: "*", ascii: "*", color: .cyan, word: "notify")
        case .set: LegendEntry(glyph: "*", ascii: "*", color: .cyan, word: "event set")
        case .wake: LegendEntry(glyph: "^", ascii: "^", color: .cyan, word: "select woke")
        }
    }
}

public enum LaneLegend {
    /// A column where a thread both ran and waited for the GIL: it took turns.
    public static let turns = LegendEntry(glyph: "▚", ascii: "%", color: .magenta, word: "taking turns for the GIL")

    /// What a legend lists for these cells: the kinds drawn (idle left out),
    /// turns if drawn, then the marks drawn, in the legend's fixed order.
    public static func entries(drawn cells: [[LaneCell]]) -> [LegendEntry] {
        var kinds = Set<LaneModel.SegmentKind>(), marks = Set<LaneModel.Mark.Kind>(), turns = false
        for row in cells {
            for cell in row {
                if let kind = cell.kind { kinds.insert(kind) }
                if cell.turns { turns = true }
                if let mark = cell.mark { marks.insert(mark) }
            }
        }
        return entries(kinds: kinds, turns: turns, marks: marks)
    }

    /// What a legend lists for whole segments (the SVG and Chrome draw every one).
    public static func entries(lanes: [LaneModel.Lane]) -> [LegendEntry] {
        let kinds = Set(lanes.flatMap { $0.segments.map(\.kind) })
        let marks = Set(lanes.flatMap { $0.marks.map(\.kind) })
        return entries(kinds: kinds, turns: false, marks: marks)
    }

    static func entries(kinds: Set<LaneModel.SegmentKind>, turns: Bool, marks: Set<LaneModel.Mark.Kind>) -> [LegendEntry] {
        var entries = LaneModel.SegmentKind.allCases.filter { $0 != .idle && kinds.contains($0) }.map(\.legend)
        if turns { entries.insert(Self.turns, at: min(entries.count, kinds.contains(.running) ? 1 : 0)) }
        entries += LaneModel.Mark.Kind.allCases.filter { marks.contains($0) }.map(\.legend)
        // One entry per glyph: notify and event set share `*`.
        var seen = Set<Character>()
        return entries.filter { seen.insert($0.glyph).inserted }
    }
}
