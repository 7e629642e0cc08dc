import Foundation
import FuturesTraceSchema

/// Recorded traces of shipped scenarios (the dashboard's snapshot fixtures,
/// kept current by DashboardTraceFixtureTests): the model is tested on trace
/// files alone, as every viewer reads them.
enum Fixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func trace(_ name: String) throws -> (header: TraceHeader, events: [TraceEvent]) {
        let read = TraceReader.read(contentsOf: root + "/Tests/FuturesDashboardTests/Snapshots/traces/\(name).jsonl")
        if let error = read.error { throw error }
        guard let header = read.header else { throw TraceReadError(source: name, line: 1, message: "no header") }
        return (header, read.events)
    }
}
