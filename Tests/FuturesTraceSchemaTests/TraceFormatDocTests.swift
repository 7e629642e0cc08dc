import Foundation
import FuturesTraceSchema
import Testing

/// docs/trace-format.md cannot drift from the schema: every kind has a row
/// naming each of its fields (required ones in bold), and every wait reason,
/// deadlock kind, runtime, clock and strategy is named.
@Suite("Trace format documentation")
struct TraceFormatDocTests {
    static let text: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return (try? String(contentsOfFile: url.path + "/docs/trace-format.md", encoding: .utf8)) ?? ""
    }()

    @Test("each kind's row names its fields, the required ones in bold", arguments: TraceEvent.Kind.allCases)
    func kindRow(kind: TraceEvent.Kind) throws {
        let row = try #require(Self.text.split(separator: "\n").first { $0.hasPrefix("| `\(kind.rawValue)` |") },
                               "docs/trace-format.md has no row for \(kind.rawValue)")
        let keys = String(row.split(separator: "|")[1])
        for field in kind.fields {
            let written = field.required ? "**`\(field.key)`**" : "`\(field.key)`"
            #expect(keys.contains(written), "\(kind.rawValue): \(written) missing from \(keys)")
            if !field.required { #expect(!keys.contains("**`\(field.key)`**"), "\(kind.rawValue): \(field.key) is not required") }
        }
    }

    @Test("every wait reason, deadlock kind, runtime, clock and strategy is named")
    func words() {
        let words = WaitKind.allCases.map(\.rawValue) + DeadlockReport.Kind.allCases.map(\.rawValue)
            + RuntimeKind.allCases.map(\.rawValue) + ClockKind.allCases.map(\.rawValue) + SchedulingStrategy.allCases.map(\.rawValue)
        for word in words { #expect(Self.text.contains("`\(word)`"), "docs/trace-format.md does not name `\(word)`") }
    }
}
