import ArgumentParser
import FuturesCore

/// `futureslab-bench`: our ThreadPoolExecutor and CPython's, on the same
/// workloads, in one invocation, with the ratios. Release builds only:
/// `swift run -c release futureslab-bench [--json]`.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "futureslab-bench",
        abstract: "Benchmarks FuturesLab's ThreadPoolExecutor side by side with CPython's.")

    @Flag(help: "Print one JSON object (numbers) instead of a table.")
    var json = false

    @Option(help: "Tasks for the submit+wait and map workloads.")
    var tasks = 200_000

    @Option(help: "Round trips (submit one no-op, then result()) in a row.")
    var roundTrips = 20_000

    @Option(help: "Pending futures for the memory workload.")
    var pending = 1_000_000

    @Option(help: "Pending futures for CPython's memory workload (it needs ~2 KB each).")
    var pythonPending = 200_000

    @Option(help: "Runs of each of our workloads; the median is reported.")
    var repeats = 5

    @Option(help: "Runs of each CPython throughput workload; the median is reported.")
    var pythonRepeats = 3

    @Option(help: "Worker threads in both pools.")
    var workers = 2

    @Option(help: "Run only these of our workloads (memory, submit-wait, map, round-trip, as-completed), or a profiling aid: 'micro' (per-step costs on one thread) or 'phases' (submit vs wait time).")
    var only: [String] = []

    @Option(help: "The Python interpreter to compare with; empty to skip.")
    var python = "python3"

    func validate() throws {
        guard tasks > 0, roundTrips > 0, pending > 0, repeats > 0, workers > 0 else {
            throw ValidationError("counts must be greater than 0")
        }
    }

    func run() throws {
        var results = BenchResults()
        func selected(_ name: String) -> Bool { only.isEmpty || only.contains(name) }
        if only.contains("micro") { try Micro.run(tasks: tasks); return }
        if only.contains("phases") { try Micro.phases(tasks: tasks, workers: workers); return }
        if selected("memory") {
            // Memory first, while the heap is fresh: RSS growth is only honest then.
            results["bytes_per_pending_future"] = try Workloads.bytesPerPendingFuture(count: pending)
            results["heap_bytes_per_bare_future"] = Workloads.heapBytesPerBareFuture(count: pending)
        }
        if selected("submit-wait") {
            results["tp_submit_wait_per_s"] = try median(repeats) {
                try Workloads.submitWaitPerSecond(tasks: tasks, workers: workers)
            }
        }
        if selected("map") {
            results["tp_map_per_s"] = try median(repeats) {
                try Workloads.mapPerSecond(tasks: tasks, workers: workers)
            }
        }
        if selected("round-trip") {
            let roundTrip = try Workloads.roundTrip(count: roundTrips, workers: workers)
            results["rtt_median_us"] = roundTrip.median
            results["rtt_p99_us"] = roundTrip.p99
        }
        if selected("as-completed") {
            results["as_completed_us_per_future"] = try Workloads.asCompletedMicroseconds(count: 100_000)
        }

        if !python.isEmpty && only.isEmpty {
            let cpython = try CPythonBaseline.run(
                python: python, tasks: tasks, roundTrips: roundTrips,
                pending: pythonPending, workers: workers, repeats: pythonRepeats)
            for (key, value) in cpython { results["cpython_" + key] = value }
            results.ratio("ratio_tp_submit_wait", ours: "tp_submit_wait_per_s", theirs: "cpython_tp_submit_wait_per_s")
            results.ratio("ratio_tp_map", ours: "tp_map_per_s", theirs: "cpython_tp_map_per_s")
            results.ratio("ratio_rtt_median", ours: "cpython_rtt_median_us", theirs: "rtt_median_us")
            results.ratio("ratio_bytes_per_pending_future", ours: "cpython_bytes_per_pending_future", theirs: "bytes_per_pending_future")
        }
        results["workers"] = Double(workers)
        results["cores"] = Double(ThreadPoolExecutor.cpuCount)
        print(json ? results.json() : results.table())
    }

    private func median(_ runs: Int, _ measure: () throws -> Double) rethrows -> Double {
        var samples: [Double] = []
        for _ in 0..<runs { samples.append(try measure()) }
        samples.sort()
        return samples[samples.count / 2]
    }
}
