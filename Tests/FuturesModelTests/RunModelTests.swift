import FuturesModel
import FuturesTraceSchema
import Testing
import TraceFixtures

/// What a run did, from its events alone: futures, lanes, waits, deadlocks.
@Suite("Run model")
struct RunModelTests {
    @Test("loiter_map: five futures finish in order on three workers; loiter(4) starts when loiter(1)'s worker frees")
    func loiterMap() throws {
        let (header, events) = try Fixtures.trace("loiter_map")
        let model = RunModel(header: header, events: events)
        #expect(model.futures.map(\.label) == (0..<5).map { "loiter(\($0))" })
        #expect(model.futures.allSatisfy { $0.state == .finished })
        #expect(model.futures.map(\.result) == ["0", "10", "20", "30", "40"])
        #expect(model.completionOrder == [1, 2, 3, 4, 5])
        #expect(model.stateCounts[.finished] == 5)
        #expect(model.endTime == 5_000_000_000)
        let loiter4 = try #require(model.future(5))
        #expect(loiter4.started == 1_000_000_000 && loiter4.finished == 5_000_000_000)
        #expect(model.lanes.first?.thread == "MainThread")
        let workers = model.lanes.filter { $0.thread.hasPrefix("ThreadPoolExecutor-0_") }
        #expect(workers.count == 3)
        // loiter(0) sleeps 0 s: it takes no time, so no segment shows it.
        #expect(Set(workers.flatMap(\.segments).compactMap(\.future)) == [2, 3, 4, 5])
        #expect(workers.allSatisfy { $0.group == "executor" })
        #expect(model.laneModel.heading(of: "executor") == "executor · thread pool ×3")
        // map waits on each result in turn (loiter(0)'s at once): MainThread's lane waits for futures, each wait ended.
        let mainWaits = model.lanes[0].segments.filter { $0.kind == .futureWait }
        #expect(mainWaits.map(\.future) == [2, 3, 4, 5])
        #expect(mainWaits.allSatisfy { $0.end != nil })
        #expect(model.waiters.isEmpty)
        #expect(model.deadlocks.isEmpty)
    }

    @Test("deadlock_mutual_wait: the cycle, every blocked thread, and the futures' ends")
    func deadlock() throws {
        let (header, events) = try Fixtures.trace("deadlock_mutual_wait")
        let model = RunModel(header: header, events: events)
        let deadlock = try #require(model.deadlocks.first)
        #expect(deadlock.kind == .cycle)
        #expect(deadlock.cycle.first == deadlock.cycle.last && deadlock.cycle.count == 3)
        #expect(Set(deadlock.blocked.map(\.thread)) == ["MainThread", "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1"])
        #expect(model.futures.allSatisfy { $0.state == .raised })
        #expect(deadlock.explanation.first == "wait_on_b() (future 1, on ThreadPoolExecutor-0_0) waits for wait_on_a() (future 2, on ThreadPoolExecutor-0_1), which waits for wait_on_b()")
        #expect(deadlock.explanation.dropFirst().first == "MainThread waits for future 1 (wait_on_b()), running on ThreadPoolExecutor-0_0")
    }

    @Test("lock_ordering: who took which lock, in time order, and who holds what at the deadlock")
    func lockHolds() throws {
        let (header, events) = try Fixtures.trace("lock_ordering")
        let model = RunModel(header: header, events: events)
        let taken = model.objects.objects.flatMap { object in
            object.history.filter { $0.action == "acquire" }.map { ($0.thread ?? "", object.name, $0.time) }
        }.sorted { $0.2 < $1.2 }
        #expect(taken.count == 7)
        #expect(taken.filter { $0.0 == "thread-1" }.map(\.1) == ["x", "y"])
        // thread-2 took y and then deadlocked waiting for x: it never held x.
        #expect(taken.filter { $0.0 == "thread-2" }.map(\.1) == ["y"])
        #expect(model.deadlocks.first?.explanation.first == "thread-1 holds x and waits for y, held by thread-2, which holds y and waits for x, held by thread-1")
    }

    @Test("gil_convoy: waits for the GIL are their own kind of segment")
    func gilWaits() throws {
        let (header, events) = try Fixtures.trace("gil_convoy")
        let model = RunModel(header: header, events: events)
        #expect(model.lanes.flatMap(\.segments).contains { $0.kind == .gilWait })
        #expect(model.measurements.map(\.name).contains("io_latency_5ms_interval_ms"))
    }

    @Test("a model fed event by event equals one built at once, and a lane's open segment is what its thread does now")
    func incremental() throws {
        let (header, events) = try Fixtures.trace("loiter_map")
        var model = RunModel(header: header)
        let midway = events.firstIndex { $0.nanoseconds > 1_500_000_000 } ?? events.count
        for event in events[..<midway] { model.apply(event) }
        let running = try #require(model.future(5))
        #expect(running.state == .running)
        let now = try #require(model.laneModel.now(of: running.worker!))
        #expect(now.future == 5 && (now.kind == .sleep || now.kind == .running))
        for event in events[midway...] { model.apply(event) }
        let whole = RunModel(header: header, events: events)
        #expect(model.futures == whole.futures)
        #expect(model.lanes == whole.lanes)
    }

    @Test("the time axis: 1-2-5 steps of about eight columns each, labels in the step's unit", arguments: [
        (UInt64(5_000_000_000), 120, UInt64(1_000_000_000), "3s"),
        (UInt64(20_000_000), 80, UInt64(5_000_000), "0.015s"),
        (UInt64(50_000), 64, UInt64(10_000), "30µs"),
    ] as [(UInt64, Int, UInt64, String)])
    func timeAxis(end: UInt64, width: Int, step: UInt64, third: String) {
        #expect(TimeAxis.tickStep(end: end, width: width) == step)
        #expect(TimeAxis.tickLabel(3 * step, step: step) == third)
        #expect(seconds(1_234_567_890) == "1.235")
    }
}
