import ArgumentParser
import Foundation
import FuturesModel
import FuturesReport
import FuturesRunner
import FuturesScenario
import FuturesTerminal
import FuturesTrace
import FuturesTraceSchema
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension RuntimeSpec.Kind: ExpressibleByArgument {}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario and print its report.",
        discussion: """
            On a terminal, the dashboard opens (? for its keys); with --headless, \
            --json, or when stdout is not a terminal, the report is printed: the log, \
            the timeline, the futures, the expectations. Nothing runs if the file is \
            invalid (its problems go to stderr as file:line:col, exit 2).
            """)

    @Argument(help: "The scenario file (YAML or JSON); several files run one after the other and are shown stacked and compared.")
    var files: [String]

    /// The first (usually the only) scenario file.
    var file: String { files[0] }

    func validate() throws {
        if files.isEmpty { throw ValidationError("run needs a scenario file") }
        try refuseOverwriting(trace, inputs: files + [schedule].compactMap { $0 }, flag: "--trace")
        try refuseOverwriting(log, inputs: files, flag: "--log")
        try refuseOverwriting(pidfile, inputs: files, flag: "--pidfile")
    }

    @Option(help: "The deterministic scheduler's seed (overrides the file's).")
    var seed: UInt64?

    @Option(help: "deterministic or native (overrides the file's).")
    var runtime: RuntimeSpec.Kind?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a parameter the scenario declares under `params:` (repeatable), e.g. --set workers=5.",
        valueName: "name=value"))
    var settings: [String] = []

    @Option(help: "Follow this schedule's scheduling choices (from `futureslab schedule TRACE -o S.json`).")
    var schedule: String?

    enum SchedulerChoice: String, ExpressibleByArgument, CaseIterable { case seeded, manual }

    @Option(help: "seeded (the strategy and seed choose) or manual: you pick the thread that runs at every scheduling point, in the dashboard.")
    var scheduler: SchedulerChoice = .seeded

    @Option(help: "Write the run's trace (JSON Lines, docs/trace-format.md) here.")
    var trace: String?

    @Option(help: "Save files that downloads fetch here (default: a new temporary directory per run).")
    var downloads: String?

    @Flag(help: "Print the report instead of opening the dashboard (the default when stdout is not a terminal).")
    var headless = false

    @Flag(help: "Run as a daemon (detached from the terminal) and return at once, printing its pid; needs --trace. Follow it with `futureslab attach TRACE`, end it with `futureslab stop PIDFILE` (docs/detached.md).")
    var detach = false

    @Option(help: "With --detach: write the daemon's pid here (refused if it names a running process); removed when the run ends.")
    var pidfile: String?

    @Option(help: "With --detach: the daemon's stdout and stderr go here (default: /dev/null).")
    var log: String?

    @OptionGroup var limitOptions: LimitOptions

    @OptionGroup var report: ReportOptions

    @OptionGroup var playback: PlaybackOptions

    func run() throws {
        let parsedSettings = try parseSettings(settings)
        if files.count > 1 {
            try runSeveral(files: files, settings: parsedSettings)
            return
        }
        let scenario: Scenario
        switch ScenarioParser.parse(file: file, settings: parsedSettings) {
        case .success(let parsed): scenario = parsed
        case .failure(let errors):
            printError(errors.description)
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        if let refusal = scenario.refusal(in: runtime ?? scenario.runtime.kind) {
            printError(refusal)
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        if scheduler == .manual {
            try runManual(scenario)
            return
        }
        if detach || pidfile != nil || log != nil {
            try startDetached(scenario)
        }
        if !scenario.variants.isEmpty {
            try runVariants(of: scenario, base: parsedSettings)
            return
        }
        var options = RunOptions(seed: seed, runtime: runtime)
        options.downloads = downloads
        options.limits = limitOptions.limits
        if let schedule {
            let file = try ScheduleFile.read(schedule)
            guard file.program == scenario.name else {
                throw ValidationError("\(schedule) is a schedule of '\(file.program)', not of '\(scenario.name)'")
            }
            guard (runtime ?? scenario.runtime.kind) == .deterministic else {
                throw ValidationError("--schedule needs the deterministic runtime")
            }
            options.seed = seed ?? file.seed
            options.schedule = (file.picks, file.runnable)
            options.scheduleIsPrefix = file.prefix
        }
        if report.opensDashboard(headless: headless) {
            // A followed schedule plays in the dashboard too (explore's saved failures open there).
            let session = DashboardSession(source: .scenario(scenario, options), view: playback.view(color: report.wantsColor))
            session.traceOutput = trace
            let status = session.run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let native = (runtime ?? scenario.runtime.kind) == .native
        let progress = Progress(enabled: native && isatty(STDERR_FILENO) != 0 && !detach)
        // A native or detached run writes its trace as it goes; a
        // deterministic one takes milliseconds and is written whole at the
        // end. Either way a signal ends the trace with an `aborted` line
        // after every event recorded so far.
        let traceFile = TraceFileSlot()
        let incremental = trace.map { (native || detach) ? $0 : nil } ?? nil
        let pidfile = self.pidfile
        if trace != nil { Self.endOnSignal(traceFile: traceFile, pidfile: pidfile) }
        let tracePath = trace
        options.onStart = { live in
            progress.start { live.counts }
            if let tracePath { traceFile.keep(live.recorder, path: tracePath) }
            guard let incremental else { return }
            do {
                let file = try IncrementalTraceFile(path: incremental, recorder: live.recorder)
                file.start()
                traceFile.set(file)
            } catch {
                printError("futureslab: \(error)")
            }
        }
        let result = ScenarioRunner.run(scenario, options: options)
        progress.stop()
        if let file = traceFile.file {
            // The runner's own last lines: from `ended` on.
            let closing = result.events.lastIndex { $0.kind == .ended }.map { Array(result.events[$0...]) } ?? []
            file.finish(header: result.header, closing: closing)
        } else if let trace {
            try write(result.traceText, to: trace)
        }
        defer { Detached.removePidfile(pidfile) }
        print(report.json ? SummaryJSON.render(result.model) : HeadlessReport.render(result.model, style: report.style), terminator: "")
        if let uncaught = result.uncaughtError, !report.json {
            printError("\(scenario.file): the main program raised \(uncaught)")
        }
        if let limit = result.limitReached, !report.json {
            printError("\(scenario.file): \(options.limits.describe(limit)); the report is of the run until then (exit 4)")
        }
        if let divergence = result.scheduleDivergence {
            printError("\(schedule ?? "the schedule"): \(divergence)")
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        if result.exitCode != .success { throw ExitCode(result.exitCode.rawValue) }
    }

    /// `--detach`: checks what can be checked, then becomes a daemon (the
    /// original process prints the daemon's pid and exits 0 in there).
    private func startDetached(_ scenario: Scenario) throws {
        guard detach else { throw ValidationError("--pidfile and --log go with --detach") }
        if files.count > 1 { throw ValidationError("--detach runs one scenario at a time") }
        if let refusal = Detached.refusal(trace: trace, pidfile: pidfile, log: log) {
            printError("futureslab: \(refusal)")
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        Detached.daemonize(pidfile: pidfile.map(Detached.absolute), log: log.map(Detached.absolute))
    }

    /// SIGINT, SIGTERM or SIGHUP during a run whose trace is written as it
    /// goes: the trace gets every event so far and an `aborted` line, the
    /// pidfile goes, and the process exits 128 + the signal.
    private static func endOnSignal(traceFile: TraceFileSlot, pidfile: String?) {
        catchTerminationSignals()
        let watcher = Thread {
            while true {
                let signal = pendingSignal.load(ordering: .relaxed)
                if signal != 0 {
                    traceFile.fileToAbort?.abort(signal: signalName(signal))
                    Detached.removePidfile(pidfile)
                    _exit(128 + signal)
                }
                usleep(20_000)
            }
        }
        watcher.name = "signal watcher"
        watcher.start()
    }

    /// `SIGTERM` for 15.
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }

    /// `--scheduler manual`: the dashboard stops at every choice of thread.
    /// Nothing runs when that cannot be (headless, native, several files).
    private func runManual(_ scenario: Scenario) throws {
        var refusal: String?
        if files.count > 1 {
            refusal = "--scheduler manual runs one scenario at a time"
        } else if (runtime ?? scenario.runtime.kind) != .deterministic {
            refusal = "--scheduler manual needs the deterministic runtime (the OS schedules native threads)"
        } else if schedule != nil {
            refusal = "--scheduler manual and --schedule cannot go together: either you choose or the file does"
        } else if !report.opensDashboard(headless: headless) {
            refusal = "--scheduler manual needs the dashboard (run it on a terminal, without --headless or --json); headless runs use the seeded scheduler"
        }
        if let refusal {
            printError("futureslab run: \(refusal)")
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        var options = RunOptions(seed: seed, runtime: .deterministic)
        options.downloads = downloads
        let session = DashboardSession(source: .manual(scenario, options), view: playback.view(color: report.wantsColor))
        session.traceOutput = trace
        let status = session.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// A scenario with `variants:`: one run per variant (its settings over
    /// `--set`'s), in order; then every report, and each variant compared
    /// with the first. The exit status is the worst of the runs'.
    private func runVariants(of scenario: Scenario, base: [(name: String, value: Value)]) throws {
        var scenarios: [(name: String, scenario: Scenario)] = []
        for variant in scenario.variants {
            let settings = base.filter { setting in !variant.settings.contains { $0.name == setting.name } } + variant.settings
            guard case .success(let parsed) = ScenarioParser.parse(file: file, settings: settings) else {
                printError("\(variant.location): error: variant '\(variant.name)' cannot be read with its settings")
                throw ExitCode(RunExitCode.invalidInput.rawValue)
            }
            scenarios.append((variant.name, parsed))
        }
        try runSide(by: scenarios)
    }

    /// `run A.yaml B.yaml`: every file read first (nothing runs if one is
    /// invalid), then run and shown as variants are, under their names.
    private func runSeveral(files: [String], settings: [(name: String, value: Value)]) throws {
        var scenarios: [(name: String, scenario: Scenario)] = []
        var failed = false
        for path in files {
            switch ScenarioParser.parse(file: path, settings: settings) {
            case .success(let parsed):
                var name = parsed.name
                if scenarios.contains(where: { $0.name == name }) { name += "-\(scenarios.count + 1)" }
                scenarios.append((name, parsed))
            case .failure(let errors):
                printError(errors.description)
                failed = true
            }
        }
        if failed { throw ExitCode(RunExitCode.invalidInput.rawValue) }
        for (_, scenario) in scenarios {
            if let refusal = scenario.refusal(in: runtime ?? scenario.runtime.kind) {
                printError(refusal)
                throw ExitCode(RunExitCode.invalidInput.rawValue)
            }
        }
        try runSide(by: scenarios)
    }

    /// Runs side by side: each in turn, then stacked in the dashboard, or
    /// every report and each run compared with the first.
    private func runSide(by scenarios: [(name: String, scenario: Scenario)]) throws {
        var runs: [(name: String, result: RunResult)] = []
        for (name, parsed) in scenarios {
            var options = RunOptions(seed: seed, runtime: runtime)
            options.downloads = downloads
            let result = ScenarioRunner.run(parsed, options: options)
            if let trace { try write(result.traceText, to: Self.variantPath(trace, name)) }
            runs.append((name, result))
        }
        if report.opensDashboard(headless: headless) {
            // Stacked on one time axis, played in lockstep.
            let stacked = StackedRuns.merge(runs.map { StackedRuns.Run(name: $0.name, header: $0.result.header, events: $0.result.events) })
            let status = DashboardSession(source: .replay(header: stacked.header, events: stacked.events),
                                          view: playback.view(color: report.wantsColor)).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        if report.json {
            let summaries = runs.map { "{\"variant\": \(TraceWriter.quoted($0.name)), \"summary\": \(SummaryJSON.render($0.result.model).trimmingTrailingNewline)}" }
            let comparisons = runs.dropFirst().map { other in
                RunComparison(runs[0].result.model, named: runs[0].name, other.result.model, named: other.name).json().trimmingTrailingNewline
            }
            print("{\"variants\": [\n" + summaries.joined(separator: ",\n") + "\n],\n\"comparisons\": [\n" + comparisons.joined(separator: ",\n") + "\n]}")
        } else {
            for (name, result) in runs {
                let settings = result.header.params.map { "\($0.name)=\($0.json)" }.joined(separator: " ")
                print(report.style.paint("━━ \(scenarios.count > 1 && files.count > 1 ? "run" : "variant") \(name)" + (settings.isEmpty ? "" : " (\(settings))") + " ━━", .bold))
                print(HeadlessReport.render(result.model, style: report.style))
            }
            for other in runs.dropFirst() {
                print(report.style.paint("━━ \(runs[0].name) (A) against \(other.name) (B) ━━", .bold))
                print(RunComparison(runs[0].result.model, named: runs[0].name, other.result.model, named: other.name).text(style: report.style),
                      terminator: "")
            }
        }
        let worst = runs.map(\.result.exitCode.rawValue).max() ?? 0
        if worst != 0 { throw ExitCode(worst) }
    }

    /// `run.jsonl` for variant `map` → `run-map.jsonl`.
    static func variantPath(_ path: String, _ variant: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return path + "-" + variant }
        return String(path[..<dot]) + "-" + variant + String(path[dot...])
    }
}

/// `--set name=value` options, read as a scenario's parameter settings.
func parseSettings(_ settings: [String]) throws -> [(name: String, value: Value)] {
    try settings.map { setting in
        guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
            throw ValidationError("--set takes name=value (a parameter the scenario declares), not '\(setting)'")
        }
        return (String(setting[..<equals]), Value.setting(String(setting[setting.index(after: equals)...])))
    }
}

private extension String {
    var trimmingTrailingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}

/// The trace file of a run being written as it goes, once the run has made
/// it (the signal watcher may look before then).
final class TraceFileSlot: @unchecked Sendable {
    // @unchecked: `stored`, `recorder` and `path` are only touched under `lock`.
    private let lock = NSLock()
    private var stored: IncrementalTraceFile?
    private var recorder: TraceRecorder?
    private var path: String?

    func set(_ file: IncrementalTraceFile) { lock.withLock { stored = file } }
    var file: IncrementalTraceFile? { lock.withLock { stored } }

    /// The run's recorder, for a trace written only at the end: a signal
    /// writes what it holds.
    func keep(_ recorder: TraceRecorder, path: String) { lock.withLock { (self.recorder, self.path) = (recorder, path) } }

    /// The file a signal ends: the one being written, or one made now from
    /// the recorder (a deterministic run's, written whole at the end otherwise).
    var fileToAbort: IncrementalTraceFile? {
        lock.withLock {
            if let stored { return stored }
            guard let recorder, let path else { return nil }
            stored = try? IncrementalTraceFile(path: path, recorder: recorder)
            return stored
        }
    }
}

/// `--max-steps`, `--max-log-lines`, `--max-wall`, `--max-virtual`: the
/// bounds a run stays within (exit 4 when one stops it).
struct LimitOptions: ParsableArguments {
    @Option(help: "Stop the run after this many interpreter steps, all threads together (exit 4).")
    var maxSteps: Int = RunLimits().steps

    @Option(help: "Stop the run after this many lines of its log (exit 4).")
    var maxLogLines: Int = RunLimits().logLines

    @Option(help: "Stop a native run after this many seconds of real time (exit 4; default: none).")
    var maxWall: Double?

    @Option(help: "Stop a deterministic run after this many seconds of its virtual clock (exit 4; default: none).")
    var maxVirtual: Double?

    func validate() throws {
        guard maxSteps >= 1 else { throw ValidationError("--max-steps must be at least 1 (got \(maxSteps))") }
        guard maxLogLines >= 1 else { throw ValidationError("--max-log-lines must be at least 1 (got \(maxLogLines))") }
        for (flag, value) in [("--max-wall", maxWall), ("--max-virtual", maxVirtual)] {
            if let value, !(value > 0 && value.isFinite) { throw ValidationError("\(flag) must be a number of seconds above 0 (got \(value))") }
        }
    }

    var limits: RunLimits {
        var limits = RunLimits()
        limits.steps = maxSteps
        limits.logLines = maxLogLines
        limits.wallSeconds = maxWall
        limits.virtualSeconds = maxVirtual
        return limits
    }
}
