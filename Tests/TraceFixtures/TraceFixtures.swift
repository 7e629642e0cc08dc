import Foundation
import FuturesTraceSchema

/// Recorded traces of shipped scenarios, `Tests/FuturesDashboardTests/Snapshots/traces/`
/// (kept current by DashboardTraceFixtureTests): the model, the reports and
/// the dashboard's renderer are tested on trace files alone, as every viewer
/// reads them. One place that reads them, for every test target that does.
public enum Fixtures {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The header and events of the recorded run of scenario `name`.
    public static func trace(_ name: String) throws -> (header: TraceHeader, events: [TraceEvent]) {
        let read = TraceReader.read(contentsOf: root + "/Tests/FuturesDashboardTests/Snapshots/traces/\(name).jsonl")
        if let error = read.error { throw error }
        guard let header = read.header else { throw TraceReadError(source: name, line: 1, message: "no header") }
        return (header, read.events)
    }
}
