import CFuturesShim
import FuturesCore
import FuturesTrace

/// Profiling aids, not benchmarks: they print where the time of the
/// submit+wait workload goes (`--only micro`, `--only phases`).
enum Micro {
    static func run(tasks: Int) throws {
        // By turns, three of each: the first run also pays for the heap's growth.
        for _ in 0..<3 {
            print("untraced:")
            try run(tasks: tasks, runtime: nil)
            print("traced:")
            try run(tasks: tasks, runtime: NativeRuntime(trace: TraceRecorder(program: "micro")))
        }
    }

    static func run(tasks: Int, runtime: (any Runtime)?) throws {
        // 1. submit into a pool whose only worker is blocked: pure producer cost.
        let pool = try ThreadPoolExecutor(maxWorkers: 1, runtime: runtime)
        let gate = Future<Void>()
        let blocker = try pool.submit { try gate.result() }
        while !blocker.isRunning {}
        var futures: [Future<Void>] = []
        futures.reserveCapacity(tasks)
        var t0 = fl_monotonic_ns()
        for _ in 0..<tasks { futures.append(try pool.submit {}) }
        var t1 = fl_monotonic_ns()
        print("submit only:      \(Double(t1 - t0) / Double(tasks)) ns/task")
        try gate.setResult(())
        t0 = fl_monotonic_ns()
        _ = try wait(futures)
        t1 = fl_monotonic_ns()
        print("drain by 1 worker + wait: \(Double(t1 - t0) / Double(tasks)) ns/task")
        t0 = fl_monotonic_ns()
        _ = try wait(futures)
        t1 = fl_monotonic_ns()
        print("wait on done:     \(Double(t1 - t0) / Double(tasks)) ns/task")
        pool.shutdown()
        t0 = fl_monotonic_ns()
        futures = []
        t1 = fl_monotonic_ns()
        print("free:             \(Double(t1 - t0) / Double(tasks)) ns/task")
        t0 = fl_monotonic_ns()
        for _ in 0..<tasks { futures.append(Future<Void>()) }
        t1 = fl_monotonic_ns()
        print("alloc bare:       \(Double(t1 - t0) / Double(tasks)) ns/task")
    }
}

extension Micro {
    static func phases(tasks: Int, workers: Int) throws {
        for _ in 0..<5 {
            let pool = try ThreadPoolExecutor(maxWorkers: workers)
            var futures: [Future<Void>] = []
            futures.reserveCapacity(tasks)
            let t0 = fl_monotonic_ns()
            for _ in 0..<tasks { futures.append(try pool.submit {}) }
            let t1 = fl_monotonic_ns()
            let doneAtSubmitEnd = futures.filter(\.isDone).count
            let t2 = fl_monotonic_ns()
            _ = try wait(futures)
            let t3 = fl_monotonic_ns()
            print("submit \(Double(t1 - t0) / 1e6) ms, done then \(doneAtSubmitEnd), wait \(Double(t3 - t2) / 1e6) ms, total/s \(Double(tasks) / (Double(t3 - t0 - (t2 - t1)) / 1e9))")
            pool.shutdown()
        }
    }
}

extension Micro {
    /// Per-event cost of the trace recorder alone, on one thread.
    static func recorderCost(events: Int) {
        let recorder = TraceRecorder(program: "micro")
        let runtime = NativeRuntime(trace: recorder)
        _ = runtime
        let start = fl_monotonic_ns()
        for index in 0..<events {
            recorder.recordStarted(future: UInt64(index), worker: "MainThread")
        }
        let elapsed = fl_monotonic_ns() - start
        print("recorder.record: \(Double(elapsed) / Double(events)) ns/event")
        let t0 = fl_monotonic_ns()
        for _ in 0..<events { _ = fl_monotonic_ns() }
        print("clock read:      \(Double(fl_monotonic_ns() - t0) / Double(events)) ns")
    }
}
