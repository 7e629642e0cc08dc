import FuturesModel
import FuturesTraceSchema
import Testing
import TraceFixtures

/// Runs stacked on one time axis (variants, `compare` in the dashboard): one
/// trace whose lanes come run by run, each under its name.
@Suite("Stacked runs")
struct StackedRunsTests {
    @Test("two runs of loiter_map stacked: each run's lanes under its name, in run order; futures kept apart; events in time order")
    func stacked() throws {
        let trace = try Fixtures.trace("loiter_map")
        let (header, events) = StackedRuns.merge([
            .init(name: "second", header: trace.header, events: trace.events),
            .init(name: "first", header: trace.header, events: trace.events),
        ])
        #expect(header.title?.hasPrefix("second vs first") == true)
        #expect(events.map(\.seq) == Array(1...events.count))
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.nanoseconds <= $1.nanoseconds })
        let model = RunModel(header: header, events: events)
        #expect(model.futures.count == 10)
        #expect(Set(model.futures.map(\.id)).count == 10, "future ids kept apart")
        let lanes = model.lanes.map(\.thread)
        #expect(lanes.prefix(4) == ["second/MainThread", "second/ThreadPoolExecutor-0_0", "second/ThreadPoolExecutor-0_1", "second/ThreadPoolExecutor-0_2"])
        #expect(lanes.dropFirst(4) == ["first/MainThread", "first/ThreadPoolExecutor-0_0", "first/ThreadPoolExecutor-0_1", "first/ThreadPoolExecutor-0_2"])
        #expect(model.lanes.map(\.group).uniqued == ["second/main", "second/executor", "first/main", "first/executor"])
        #expect(model.laneModel.heading(of: "first/main") == "first · MainThread")
        #expect(model.log.contains { $0.message == "[first] result 4: 40" })
        // Each run's lanes are its own: the same segments as the run alone.
        let alone = RunModel(header: trace.header, events: trace.events)
        for lane in alone.lanes {
            let stacked = try #require(model.laneModel.lane("first/" + lane.thread))
            #expect(stacked.segments.map(\.kind) == lane.segments.map(\.kind))
            #expect(stacked.segments.map(\.start) == lane.segments.map(\.start))
        }
    }
}

private extension Array where Element == String {
    var uniqued: [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
