import Foundation
import FuturesModel
import Testing

/// docs/dashboard.md's legend is the legend the views draw: a row per kind
/// and per mark, with its glyph, ASCII stand-in, colour and word.
@Suite("The dashboard's documentation")
struct DashboardDocTests {
    static let text: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return (try? String(contentsOf: url.appendingPathComponent("docs/dashboard.md"), encoding: .utf8)) ?? ""
    }()

    @Test("each segment kind has its legend row", arguments: LaneModel.SegmentKind.allCases.filter { $0 != .idle })
    func kind(_ kind: LaneModel.SegmentKind) {
        let entry = kind.legend
        #expect(Self.text.contains("| `\(entry.glyph)` | `\(entry.ascii)` | \(entry.color.rawValue) | `\(kind.rawValue)` | \(entry.word)"),
                "docs/dashboard.md lacks the row of \(kind.rawValue)")
    }

    @Test("each mark has its legend row", arguments: LaneModel.Mark.Kind.allCases)
    func mark(_ mark: LaneModel.Mark.Kind) {
        #expect(Self.text.contains("| `\(mark.legend.glyph)` | \(mark.legend.word)"), "docs/dashboard.md lacks the row of \(mark.rawValue)")
    }
}
