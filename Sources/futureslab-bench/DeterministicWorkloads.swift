import CFuturesShim
import FuturesCore
import FuturesTrace
import FuturesTraceSchema

/// Workloads of the deterministic runtime and of tracing.
enum DeterministicWorkloads {
    /// Scheduling steps per wall second: `threads` workers each take `steps`
    /// one-microsecond naps (every nap is a scheduling point, and the clock
    /// moves whenever all are asleep). Also returns baton switches per second.
    static func stepsPerSecond(threads: Int, steps: Int) throws -> (steps: Double, switches: Double) {
        let runtime = DeterministicRuntime(seed: 1, strategy: .random)
        let start = fl_monotonic_ns()
        try runtime.run {
            try ThreadPoolExecutor(maxWorkers: threads).scoped { pool in
                _ = try pool.map({ (_: Int) in
                    for _ in 0..<steps { currentRuntime.sleep(for: .microseconds(1)) }
                }, 0..<threads).collect()
            }
        }
        let seconds = Double(fl_monotonic_ns() - start) / 1e9
        return (Double(runtime.steps) / seconds, Double(runtime.switches) / seconds)
    }

    /// Wall seconds for a 10,000-task program in the deterministic runtime:
    /// 4 workers, each task sleeps 1 ms of virtual time and returns; and its
    /// scheduling steps and hand-offs.
    static func tenThousandTasks() throws -> (seconds: Double, steps: UInt64, switches: UInt64) {
        let runtime = DeterministicRuntime(seed: 1, strategy: .random)
        let start = fl_monotonic_ns()
        let total = try runtime.run {
            try ThreadPoolExecutor(maxWorkers: 4).scoped { pool in
                try pool.map({ (n: Int) -> Int in
                    currentRuntime.sleep(for: .milliseconds(1))
                    return n
                }, 0..<10_000).collect().reduce(0, +)
            }
        }
        precondition(total == 10_000 * 9_999 / 2)
        return (Double(fl_monotonic_ns() - start) / 1e9, runtime.steps, runtime.switches)
    }

    /// `Workloads.submitWaitPerSecond` with a trace recorder on the pool's runtime.
    static func tracedSubmitWaitPerSecond(tasks: Int, workers: Int) throws -> Double {
        let runtime = NativeRuntime(trace: TraceRecorder(program: "bench"))
        return try Workloads.submitWaitPerSecond(tasks: tasks, workers: workers, runtime: runtime)
    }
}
