import FuturesTrace
import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// The deterministic runtime on its own terms: virtual time, exact timelines,
/// deadlocks found and explained, the same schedule for the same seed.
@Suite("Deterministic runtime")
struct DeterministicRuntimeTests {
    /// Fluent Python's `loiter(n)`: do nothing for n seconds, return n * 10.
    @Sendable static func loiter(_ n: Int, log: Log<String>) -> Int {
        let runtime = currentRuntime
        log.append("start \(n) at \(runtime.now().nanoseconds / 1_000_000_000)")
        runtime.sleep(for: .seconds(n))
        log.append("done \(n) at \(runtime.now().nanoseconds / 1_000_000_000)")
        return n * 10
    }

    @Test("loiter (Fluent Python 17-6/17-7): 3 workers, map(loiter, 0..<5) starts at 0,0,0,0,1 and finishes at 0,1,2,3,5", arguments: SchedulingStrategy.allCases)
    func loiterTimeline(strategy: SchedulingStrategy) throws {
        for seed in [0, 1, 42] as [UInt64] {
            let runtime = DeterministicRuntime(seed: seed, strategy: strategy)
            let log = Log<String>()
            let results = try runtime.run {
                try ThreadPoolExecutor(maxWorkers: 3).scoped { pool in
                    try pool.map({ Self.loiter($0, log: log) }, 0..<5).collect()
                }
            }
            #expect(results == [0, 10, 20, 30, 40])
            let events = log.all
            func time(_ word: String, _ n: Int) -> Int? {
                events.first { $0.hasPrefix("\(word) \(n) at ") }.flatMap { Int($0.split(separator: " ").last!) }
            }
            #expect((0..<5).map { time("start", $0) } == [0, 0, 0, 0, 1], "seed \(seed)")
            #expect((0..<5).map { time("done", $0) } == [0, 1, 2, 3, 5], "seed \(seed)")
            #expect(runtime.now().nanoseconds == 5_000_000_000)
            #expect(runtime.deadlocks.isEmpty)
        }
    }

    @Test("two futures waiting on each other's result (2 workers): deadlock found, cycle reported, calls released, no hang", arguments: SchedulingStrategy.allCases)
    func mutualWait(strategy: SchedulingStrategy) async throws {
        let runtime = DeterministicRuntime(seed: 7, strategy: strategy)
        try await withDeadlockAlarm(seconds: 60, runtime: runtime) { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 2)
            let second = Future<Future<Int>>()
            let first = try pool.submit(label: "a") { () throws -> Int in try second.result().result() + 1 }
            try second.setResult(try pool.submit(label: "b") { () throws -> Int in try first.result() + 1 })
            #expect(throws: DeadlockError.self) { try first.result() }
            pool.shutdown(wait: true)
            #expect(try first.exception() is DeadlockError)
        }
        let report = try #require(runtime.deadlocks.first)
        #expect(runtime.deadlocks.count == 1)
        #expect(report.kind == .cycle)
        #expect(report.cycle == ["ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1", "ThreadPoolExecutor-0_0"]
            || report.cycle == ["ThreadPoolExecutor-0_1", "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1"])
        #expect(Set(report.blocked.map(\.name)) == ["MainThread", "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1"])
        #expect(report.description.contains("running on ThreadPoolExecutor-0_"))
    }

    @Test("a task waiting on a future queued behind it in a 1-worker pool: pool starvation reported", arguments: SchedulingStrategy.allCases)
    func poolStarvation(strategy: SchedulingStrategy) async throws {
        let runtime = DeterministicRuntime(seed: 3, strategy: strategy)
        try await withDeadlockAlarm(seconds: 60, runtime: runtime) { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 1, threadNamePrefix: "solo")
            let outer = try pool.submit(label: "outer") { () throws -> Int in
                let inner = try pool.submit(label: "inner") { 1 }
                return try inner.result() + 1
            }
            #expect(throws: DeadlockError.self) { try outer.result() }
            pool.shutdown(wait: true)
        }
        let report = try #require(runtime.deadlocks.first)
        #expect(report.kind == .poolStarvation)
        #expect(report.cycle == ["solo_0", "solo_0"])
        let worker = try #require(report.blocked.first { $0.name == "solo_0" })
        #expect(worker.waitsFor.contains("(inner), queued in solo behind its busy workers (solo_0)"))
    }

    @Test("virtual time: sleeping four seconds costs no wall time, and timed waits expire on the virtual clock")
    func virtualTime() throws {
        let runtime = DeterministicRuntime()
        let wallStart = NativeRuntime.shared.now()
        try runtime.run {
            currentRuntime.sleep(for: .seconds(4))
            #expect(throws: TimeoutError.self) { try Future<Int>().result(timeout: .seconds(60)) }
        }
        #expect(runtime.now().nanoseconds == 64_000_000_000)
        #expect(wallStart.duration(until: NativeRuntime.shared.now()) < .seconds(5))
    }

    @Test("CPU work occupies one of K simulated cores: 4 × busy(1 s) on 2 cores take 2 s, on 1 core 4 s")
    func simulatedCores() throws {
        for (cores, expected) in [(2, 2), (1, 4), (4, 1)] {
            let runtime = DeterministicRuntime(cores: cores)
            try runtime.run {
                try ThreadPoolExecutor(maxWorkers: 4).scoped { pool in
                    _ = try pool.map({ (_: Int) in currentRuntime.busy(for: .seconds(1)) }, 0..<4).collect()
                }
            }
            #expect(runtime.now().nanoseconds == UInt64(expected) * 1_000_000_000, "\(cores) cores")
        }
    }

    /// A racy program: two workers append to one log with scheduling points in
    /// between; the interleaving is the schedule's choice.
    static func racyOrder(seed: UInt64, strategy: SchedulingStrategy = .random) throws -> (String, [CoreEvent]) {
        let sink = RecordingSink()
        let runtime = DeterministicRuntime(seed: seed, strategy: strategy, trace: sink)
        let log = Log<String>()
        try runtime.run {
            try ThreadPoolExecutor(maxWorkers: 2).scoped { pool in
                for name in ["a", "b"] {
                    _ = try pool.submit(label: name) {
                        for step in 0..<3 {
                            log.append("\(name)\(step)")
                            currentRuntime.sleep(for: .zero)
                        }
                    }
                }
            }
        }
        return (log.all.joined(separator: " "), sink.all)
    }

    @Test("same seed twice → the same events; several seeds → more than one interleaving", arguments: [SchedulingStrategy.random, .pct])
    func determinism(strategy: SchedulingStrategy) throws {
        for seed in [0, 1, 2, 99] as [UInt64] {
            let first = try Self.racyOrder(seed: seed, strategy: strategy)
            let second = try Self.racyOrder(seed: seed, strategy: strategy)
            #expect(first.0 == second.0, "seed \(seed)")
            #expect(first.1 == second.1, "seed \(seed): event streams differ")
        }
        let orders = Set(try (0..<20).map { try Self.racyOrder(seed: UInt64($0), strategy: strategy).0 })
        #expect(orders.count > 1)
    }

    @Test("round-robin is one fixed interleaving: every seed gives the same order")
    func roundRobinIgnoresSeed() throws {
        let orders = Set(try (0..<5).map { try Self.racyOrder(seed: UInt64($0), strategy: .roundRobin).0 })
        #expect(orders.count == 1)
    }

    @Test("each thread of a run is its own thread of execution: own name and thread-locals, deep stacks, fifty started and ended, runs back to back")
    func threadsAreIndependent() throws {
        /// Deep recursion: fibers have full-size stacks.
        @Sendable func depth(_ n: Int) -> Int {
            var frame = (0..<64).map { $0 &+ n }
            frame[n % 64] &+= 1
            return n == 0 ? frame.reduce(0, &+) & 1 : depth(n - 1) &+ (frame[0] & 1)
        }
        let runtime = DeterministicRuntime(seed: 3)
        for round in 0..<2 {
            let names = try runtime.run { () throws -> [String] in
                let log = Log<String>()
                let threads = try (0..<50).map { index in
                    try currentRuntime.startThread(named: "T\(index)") {
                        let before = ThreadContext.current.name
                        currentRuntime.sleep(for: .milliseconds(index % 7))
                        _ = depth(1_000)
                        currentRuntime.sleep(for: .milliseconds(1))
                        // Still itself after other threads ran in between.
                        if ThreadContext.current.name == before { log.append(before) }
                    }
                }
                threads.forEach { $0.join() }
                return log.all
            }
            #expect(Set(names) == Set((0..<50).map { "T\($0)" }), "round \(round)")
        }
        #expect(runtime.deadlocks.isEmpty)
    }
}
