import ArgumentParser
import Foundation
import FuturesCore
import FuturesNet
import FuturesProcess
import FuturesTrace
import FuturesTraceSchema

/// `futureslab-bench`: our ThreadPoolExecutor and CPython's, on the same
/// workloads, in one invocation, with the ratios. Release builds only:
/// `swift run -c release futureslab-bench [--json]`.
///
/// Each workload runs in a process of its own, ours and CPython's alike: a
/// million freed futures leave a heap that slows whatever runs next in the same
/// process (see docs/benchmarks.md), and neither side should pay for the other
/// workloads' garbage.
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

    @Option(help: "Runs of each of our throughput workloads; the median is reported.")
    var repeats = 5

    @Option(help: "Runs of each CPython throughput workload; the median is reported.")
    var pythonRepeats = 3

    @Option(help: "Worker threads in both pools.")
    var workers = 2

    @Option(help: "Run only these of our workloads (\(Workload.allNames)), or a profiling aid: 'micro' (per-step costs on one thread), 'phases' (submit vs wait time), 'recorder' (one event's cost) or 'traced-only' (the traced no-op workload alone, for a profiler).")
    var only: [String] = []

    @Flag(help: .hidden)
    var inProcess = false

    /// The network workload's flag server, run by the parent for both sides.
    @Option(help: .hidden)
    var flagServerPort: Int?

    @Option(help: "Write the dashboard workload's synthetic trace (64 workers × 10,000 futures) here and stop: `futureslab replay` it to watch the real terminal's cost.")
    var writeSyntheticTrace: String?

    @Option(help: "Futures in the trace --write-synthetic-trace writes (three events each).")
    var syntheticFutures = 10_000

    @Option(help: "The Python interpreter to compare with; empty to skip.")
    var python = "python3"

    @Flag(help: "Skip the Java comparison (it runs when javac and java are on PATH).")
    var noJava = false

    func validate() throws {
        guard tasks > 0, roundTrips > 0, pending > 0, repeats > 0, workers > 0 else {
            throw ValidationError("counts must be greater than 0")
        }
        for name in only where Workload(rawValue: name) == nil && !["micro", "phases", "recorder", "traced-only"].contains(name) {
            throw ValidationError("unknown workload '\(name)'; known: \(Workload.allNames), micro, phases")
        }
    }

    /// The benchmark binary is also its process pools' worker.
    static func main() {
        StandardTasks.register()
        ProcessWorker.runIfWorker()
        main(nil)
    }

    func run() throws {
        if only.contains("micro") { return try Micro.run(tasks: tasks) }
        if only.contains("phases") { return try Micro.phases(tasks: tasks, workers: workers) }
        if only.contains("recorder") { return Micro.recorderCost(events: tasks) }
        if only.contains("traced-only") {
            // For profiles: the traced no-op workload alone, `repeats` times.
            for _ in 0..<repeats {
                _ = try Workloads.submitWaitPerSecond(tasks: tasks, workers: workers, runtime: NativeRuntime(trace: TraceRecorder(program: "bench")))
            }
            return
        }
        if let path = writeSyntheticTrace {
            let (header, events) = DashboardWorkloads.syntheticTrace(futures: syntheticFutures)
            return try TraceWriter.file(header: header, events: events).write(toFile: path, atomically: true, encoding: .utf8)
        }
        let selected = only.isEmpty ? Workload.allCases : only.compactMap(Workload.init(rawValue:))

        var results = BenchResults()
        // One LOCAL flag server in this (parent) process for the network
        // workload, ours and CPython's alike.
        let flagServer = !inProcess && selected.contains(.network) ? try FlagServer(mode: .local) : nil
        defer { flagServer?.stop() }
        if inProcess {
            for workload in selected { try measure(workload, into: &results) }
            print(results.json())
            return
        }
        for workload in selected {
            try results.merge(ChildProcess.runJSON(
                executable: ChildProcess.currentExecutable,
                arguments: childArguments(for: workload) + (flagServer.map { ["--flag-server-port", "\($0.port)"] } ?? []),
                label: "workload \(workload.rawValue)"))
        }
        // CPython's side of the selected workloads that have one.
        let pythonWorkloads = CPythonBaseline.workloads.filter { name in selected.contains { $0.rawValue == name } }
        if !python.isEmpty && !pythonWorkloads.isEmpty {
            let cpython: [(String, Double)]
            do {
                cpython = try CPythonBaseline.run(
                    pythonWorkloads, python: python, tasks: tasks, roundTrips: roundTrips,
                    pending: pythonPending, workers: workers, repeats: pythonRepeats, flagServerPort: flagServer?.port)
            } catch {
                // Our figures still stand on their own; say why theirs are missing.
                printToStandardError("futureslab-bench: CPython comparison skipped: \(error)")
                cpython = []
            }
            for (key, value) in cpython { results["cpython_" + key] = value }
            results.ratio("ratio_tp_submit_wait", ours: "tp_submit_wait_per_s", theirs: "cpython_tp_submit_wait_per_s")
            results.ratio("ratio_tp_map", ours: "tp_map_per_s", theirs: "cpython_tp_map_per_s")
            results.ratio("ratio_rtt_median", ours: "cpython_rtt_median_us", theirs: "rtt_median_us")
            results.ratio("ratio_pp_submit_wait", ours: "pp_submit_wait_per_s", theirs: "cpython_pp_submit_wait_per_s")
            results.ratio("ratio_pp_rtt_median", ours: "cpython_pp_rtt_median_us", theirs: "pp_rtt_median_us")
            results.ratio("ratio_pp_map_chunked", ours: "pp_map_chunked_per_s", theirs: "cpython_pp_map_chunked_per_s")
            results.ratio("ratio_net_get", ours: "net_get_per_s", theirs: "cpython_net_get_per_s")
            results.ratio("ratio_bytes_per_pending_future", ours: "cpython_bytes_per_pending_future", theirs: "bytes_per_pending_future")
        }
        // Java's fixed pool beside ours, for the workloads it has a side of.
        if !noJava && (selected.contains(.submitWait) || selected.contains(.roundTrip)) {
            do {
                let java = try JavaBaseline.run(tasks: tasks, roundTrips: roundTrips, workers: workers, repeats: repeats)
                for (key, value) in java { results["java_" + key] = value }
                results.ratio("ratio_vs_java_tp_submit_wait", ours: "tp_submit_wait_per_s", theirs: "java_tp_submit_wait_per_s")
                results.ratio("ratio_vs_java_rtt_median", ours: "java_rtt_median_us", theirs: "rtt_median_us")
            } catch {
                printToStandardError("futureslab-bench: Java comparison skipped: \(error)")
            }
        }
        results["workers"] = Double(workers)
        results["cores"] = Double(ThreadPoolExecutor.cpuCount)
        print(json ? results.json() : results.table())
    }

    private func childArguments(for workload: Workload) -> [String] {
        ["--in-process", "--only", workload.rawValue, "--tasks", "\(tasks)", "--round-trips", "\(roundTrips)",
         "--pending", "\(pending)", "--repeats", "\(repeats)", "--workers", "\(workers)"]
    }

    private func measure(_ workload: Workload, into results: inout BenchResults) throws {
        switch workload {
        case .memory:
            results["bytes_per_pending_future"] = try Workloads.bytesPerPendingFuture(count: pending)
            results["heap_bytes_per_bare_future"] = Workloads.heapBytesPerBareFuture(count: pending)
        case .submitWait:
            results["tp_submit_wait_per_s"] = try median(repeats) {
                try Workloads.submitWaitPerSecond(tasks: tasks, workers: workers)
            }
        case .map:
            results["tp_map_per_s"] = try median(repeats) {
                try Workloads.mapPerSecond(tasks: tasks, workers: workers)
            }
        case .roundTrip:
            let roundTrip = try Workloads.roundTrip(count: roundTrips, workers: workers)
            results["rtt_median_us"] = roundTrip.median
            results["rtt_p99_us"] = roundTrip.p99
        case .asCompleted:
            results["as_completed_us_per_future"] = try Workloads.asCompletedMicroseconds(count: 100_000)
        case .traced:
            // More pairs than other workloads' repeats: a fraction is a
            // ratio of two noisy figures (a pair of no-op runs takes 0.1 s).
            let noOp = try DeterministicWorkloads.tracedSubmitWait(tasks: tasks, workers: workers, runs: repeats * 4)
            results["tp_submit_wait_traced_per_s"] = noOp.traced
            results["tp_submit_wait_untraced_paired_per_s"] = noOp.untraced
            results["traced_throughput_fraction"] = noOp.fraction
            let spinning = try DeterministicWorkloads.tracedSubmitWait(tasks: tasks / 2, workers: workers, runs: repeats * 2, spin: 1_000)
            results["tp_submit_wait_1us_traced_per_s"] = spinning.traced
            results["tp_submit_wait_1us_per_s"] = spinning.untraced
            results["traced_throughput_fraction_1us"] = spinning.fraction
        case .deterministic:
            let steps = try DeterministicWorkloads.stepsPerSecond(threads: 4, steps: 50_000)
            results["det_steps_per_s"] = steps.steps
            results["det_switches_per_s"] = steps.switches
            let program = try DeterministicWorkloads.tenThousandTasks()
            results["det_10k_tasks_wall_s"] = program.seconds
            results["det_10k_steps_per_s"] = Double(program.steps) / program.seconds
            results["det_10k_switches_per_s"] = Double(program.switches) / program.seconds
        case .process:
            results["pp_submit_wait_per_s"] = try median(repeats) { try ProcessWorkloads.submitWaitPerSecond(tasks: 20_000, workers: workers) }
            results["pp_rtt_median_us"] = try ProcessWorkloads.roundTripMedian(count: 2_000, workers: workers)
            results["pp_map_chunked_per_s"] = try median(repeats) { try ProcessWorkloads.mapChunkedPerSecond(tasks: 200_000, workers: workers) }
        case .dashboard:
            results["render_frame_ms"] = DashboardWorkloads.renderFrameMilliseconds()
            let loop = DashboardWorkloads.loopCPU(seconds: 3)
            results["dashboard_playing_cpu_fraction"] = loop.playing
            results["dashboard_paused_cpu_fraction"] = loop.paused
            results["dashboard_playing_fps"] = loop.fps
        case .explore:
            for (key, value) in try ExploreWorkload.measure() { results[key] = value }
        case .live:
            if ProcessInfo.processInfo.environment["FUTURESLAB_BENCH_PROFILE_FRAMES"] == nil {
                results["live_frame_ms_100k_events"] = try LiveViewWorkloads.liveFrameMilliseconds(events: 100_000)
            }
            results["live_frame_ms_1m_events"] = try LiveViewWorkloads.liveFrameMilliseconds(
                events: 1_000_000, frames: ProcessInfo.processInfo.environment["FUTURESLAB_BENCH_PROFILE_FRAMES"].flatMap(Int.init) ?? 40)
        case .replayLoad:
            let load = try LiveViewWorkloads.replayLoad(events: 1_000_000)
            results["replay_load_s_1m"] = load.seconds
            results["replay_bytes_per_event_1m"] = load.bytesPerEvent
        case .network:
            guard let port = flagServerPort else { throw ValidationError("the network workload needs the parent's flag server") }
            results["net_get_per_s"] = try median(repeats) { try NetworkWorkloads.getsPerSecond(port: port) }
        }
    }

    private func median(_ runs: Int, _ measure: () throws -> Double) rethrows -> Double {
        var samples: [Double] = []
        for _ in 0..<runs { samples.append(try measure()) }
        samples.sort()
        return samples[samples.count / 2]
    }
}

/// Our workloads, each run in its own process.
enum Workload: String, CaseIterable {
    case memory
    case submitWait = "submit-wait"
    case map
    case roundTrip = "round-trip"
    case asCompleted = "as-completed"
    case traced
    case deterministic
    case process
    case dashboard
    case network
    case explore
    case live
    case replayLoad = "replay-load"

    static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
