import Foundation
import FuturesRunner
import FuturesScenario
import FuturesTraceSchema
import Testing

/// The dashboard's snapshot tests draw recorded traces
/// (`Tests/FuturesDashboardTests/Snapshots/traces/`), not scenario runs, so
/// that a renderer test never parses or runs a scenario. This keeps those
/// traces equal to what the shipped scenarios record now; after an intended
/// change, `FUTURESLAB_RECORD_GOLDENS=1 swift test --filter DashboardTraceFixtureTests`.
@Suite("Dashboard trace fixtures")
struct DashboardTraceFixtureTests {
    static let folder = Paths.root + "/Tests/FuturesDashboardTests/Snapshots/traces"
    static let traces: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasSuffix(".jsonl") }.sorted()

    @Test("there are trace fixtures")
    func present() {
        #expect(Self.traces.count >= 7)
    }

    @Test("each trace fixture is its scenario's deterministic run, byte for byte", arguments: traces)
    func current(trace: String) throws {
        let name = String(trace.dropLast(".jsonl".count))
        let scenario = try ScenarioParser.parse(file: Paths.scenarios + "/\(name).yaml").get()
        let result = ScenarioRunner.run(scenario)
        let text = TraceWriter.file(header: result.header, events: result.events)
        let path = Self.folder + "/" + trace
        if ProcessInfo.processInfo.environment["FUTURESLAB_RECORD_GOLDENS"] != nil {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)), "\(path) is stale")
    }
}
