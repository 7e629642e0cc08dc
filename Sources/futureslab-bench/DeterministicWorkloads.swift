import CFuturesShim
import Foundation
import FuturesCore
import FuturesTrace
import FuturesTraceSchema

/// Workloads of the deterministic runtime and of tracing.
private let environment = ProcessInfo.processInfo.environment

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

    /// `Workloads.submitWaitPerSecond` with a trace recorder on the pool's
    /// runtime, and the same without, run by turns in this one process
    /// (`runs` of each): the medians of both, and the median of the pairs'
    /// ratios traced / untraced. Pairs taken a moment apart see the same
    /// machine: on these VMs, figures taken minutes apart in different
    /// processes differ by more than tracing costs.
    static func tracedSubmitWait(tasks: Int, workers: Int, runs: Int, spin: UInt64 = 0) throws
        -> (traced: Double, untraced: Double, fraction: Double) {
        var traced: [Double] = []
        var untraced: [Double] = []
        var ratios: [Double] = []
        // A pair first, not counted: the process's first run also pays for
        // its heap's growth.
        _ = try Workloads.submitWaitPerSecond(tasks: tasks, workers: workers, spin: spin)
        _ = try Workloads.submitWaitPerSecond(tasks: tasks, workers: workers, runtime: NativeRuntime(trace: TraceRecorder(program: "bench")), spin: spin)
        for _ in 0..<runs {
            let plain = try Workloads.submitWaitPerSecond(tasks: tasks, workers: workers, spin: spin)
            let runtime = NativeRuntime(trace: TraceRecorder(program: "bench"))
            let recorded = try Workloads.submitWaitPerSecond(tasks: tasks, workers: workers, runtime: runtime, spin: spin)
            untraced.append(plain)
            traced.append(recorded)
            ratios.append(recorded / plain)
        }
        if environment["FUTURESLAB_BENCH_SAMPLES"] != nil {
            printToStandardError("untraced \(untraced.map { Int($0 / 1000) }) k/s\ntraced   \(traced.map { Int($0 / 1000) }) k/s")
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return (median(traced), median(untraced), median(ratios))
    }
}
