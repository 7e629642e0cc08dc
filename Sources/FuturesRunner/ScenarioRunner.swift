import Foundation
import FuturesCore
import FuturesModel
import FuturesProcess
import FuturesScenario
import FuturesTrace
import FuturesTraceSchema

/// What a run may change from the file: the seed and the runtime.
public struct RunOptions: Sendable {
    public var seed: UInt64?
    public var runtime: RuntimeSpec.Kind?
    /// Native runs: how long every thread may sit in an untimed wait before the
    /// run is declared deadlocked (the watchdog's threshold).
    public var deadlockThreshold: Duration = .seconds(1)
    /// Where `http_get` saves files when its step names no directory; nil:
    /// a new temporary directory for the run.
    public var downloads: String?

    /// A deterministic run follows these scheduling choices (`run --schedule`)
    /// instead of its strategy's, as long as the program matches them.
    public var schedule: (picks: [Int], runnable: [Int])?
    /// The schedule is the first choices only: after it, the strategy goes on.
    public var scheduleIsPrefix = false
    /// A deterministic run asks this for every choice the schedule does not make.
    public var guide: (@Sendable (SchedulingPoint) -> Int)?
    /// Told which step each thread is in (the manual scheduler's view).
    public var stepTracker: StepTracker?
    /// The bounds the run stays within (steps, log lines, wall and virtual time).
    public var limits = RunLimits()
    /// For `explore`: many runs, one outcome each. A deterministic run whose
    /// expectations read only variables, measurements and deadlocks then
    /// records no trace; its result's model holds just its deadlocks,
    /// measurements and expectations' results.
    public var lean = false

    /// Called once the run's recorder exists, before anything runs: a live
    /// view of the run (progress counts, the events so far).
    public var onStart: (@Sendable (LiveRun) -> Void)?

    public init(seed: UInt64? = nil, runtime: RuntimeSpec.Kind? = nil) {
        self.seed = seed
        self.runtime = runtime
    }
}

/// A finished run: its trace (header and events) and what they say.
public struct RunResult: Sendable {
    public var header: TraceHeader
    public var events: [TraceEvent]
    public var model: RunModel
    /// Seconds from the main program's start to its end (executors shut down).
    public var elapsed: Double
    /// An error main did not handle, as Python prints its last line.
    public var uncaughtError: String?
    public var exitCode: RunExitCode
    /// Where a run that followed a schedule left it, in words (nil: it did not, or followed none).
    public var scheduleDivergence: String?
    /// A deterministic run's choices (also the trace's last line), and how many were preemptions.
    public var schedule: (picks: [Int], runnable: [Int])?
    public var preemptions = 0
    /// Native runs: threads of the run still alive when it returned (blocked
    /// in a wait nothing could release; 0 when every deadlock was released).
    public var threadsLeft = 0
    /// The limit that stopped the run, if one did (exit 4).
    public var limitReached: RunLimits.Kind?

    /// The trace file's text (JSON Lines).
    public var traceText: String { TraceWriter.file(header: header, events: events) }
}

/// The documented exit codes of `futureslab run`.
public enum RunExitCode: Int32, Sendable {
    /// Every expectation held.
    case success = 0
    /// An expectation failed, or main raised an error it did not handle.
    case expectationFailed = 1
    /// The input was invalid (nothing ran).
    case invalidInput = 2
    /// The run deadlocked and the scenario did not expect it.
    case deadlock = 3
    /// The run reached one of its limits (`--max-steps`, `--max-log-lines`,
    /// `--max-wall`, `--max-virtual`) and was stopped: the report is of what
    /// it did until then.
    case limitReached = 4
}

public enum ScenarioRunner {
    /// `scenario` with its file as a clean absolute path: workers find the
    /// scenario by path, from any directory. Cheap when it already is one —
    /// `explore` locates its scenario once and runs it thousands of times
    /// (Foundation's standardisation costs as much as starting a thread).
    public static func located(_ scenario: Scenario) -> Scenario {
        guard !isStandardAbsolutePath(scenario.file) else { return scenario }
        var located = scenario
        located.file = URL(fileURLWithPath: scenario.file).standardizedFileURL.path
        return located
    }

    /// Runs `scenario` headless and checks its expectations. Never hangs: a
    /// deterministic run ends its deadlocks itself; a native one has its
    /// deadlocked waits released by the watchdog (DeadlockError), and is
    /// abandoned only if it still has not ended five thresholds after a
    /// report (a wait no watchdog can release).
    public static func run(_ scenario: Scenario, options: RunOptions = RunOptions()) -> RunResult {
        registerTasks
        let scenario = located(scenario)
        var spec = scenario.runtime
        if let seed = options.seed { spec.seed = seed }
        if let kind = options.runtime { spec.kind = kind }
        let recorder = TraceRecorder(program: scenario.name, title: scenario.title,
                                     description: scenario.description.isEmpty ? nil : scenario.description,
                                     params: scenario.paramsInForce.map { TraceHeader.Param(name: $0.name, json: $0.value.json) })
        if let refusal = scenario.refusal(in: spec.kind) {
            // Nothing runs: a real server cannot be scheduled deterministically.
            let (header, events) = recorder.trace
            return RunResult(header: header, events: events, model: RunModel(header: header, events: events), elapsed: 0,
                             uncaughtError: refusal, exitCode: .invalidInput)
        }
        let sink = ProgressSink(recorder)
        options.onStart?(LiveRun(recorder: recorder, sink: sink))
        // A lean run whose expectations read only variables, measurements and
        // deadlocks records no trace: the outcome is all `explore` keeps.
        let traced = !(options.lean && spec.kind == .deterministic && !scenario.expectationsReadTrace)
        let deadlocks = Locked<[DeadlockReport]>([])
        // The expectations' results (an untraced run has no events to read them from).
        let checked = Locked<[Expectations.Outcome]>([])
        let interpreter = Interpreter(scenario: scenario)
        interpreter.steps = options.stepTracker
        interpreter.randomSeed = spec.seed
        interpreter.limits = options.limits
        interpreter.sync.defaultDownloads = options.downloads
        let outcome = Locked<(elapsed: Double, error: (any Error)?)?>(nil)

        @Sendable func program() {
            let runtime = currentRuntime
            let start = runtime.now()
            var failure: (any Error)?
            do {
                try interpreter.makeExecutors()
                try interpreter.runMain()
            } catch let limit as RunLimitReached {
                ThreadContext.current.trace?.record(.log(level: "error", message: interpreter.limits.describe(limit.limit)))
            } catch {
                failure = error
                ThreadContext.current.trace?.record(.log(level: "error", message: "Traceback (most recent call last): \(Interpreter.repr(error))"))
            }
            // As Python's interpreter joins its threads and pool threads at exit.
            interpreter.sync.joinAll()
            interpreter.abandonDaemons()
            interpreter.sync.stopServers()
            // In the scenario's order: a dictionary's order changes from one
            // process to the next, and the trace must not.
            for spec in scenario.executors { interpreter.executors[spec.name]?.shutdown(wait: true, cancelFutures: false) }
            let elapsed = Double(start.duration(until: runtime.now()).clampedNanoseconds) / 1e9
            let trace = recorder.trace
            let model = traced ? RunModel(header: trace.header, events: trace.events)
                : Self.outcomeModel(header: trace.header, deadlocks: (runtime as? DeterministicRuntime)?.deadlocks ?? [],
                                    measurements: interpreter.measurements, expectations: [])
            let checks = Expectations.check(scenario, model: model, interpreter: interpreter, elapsed: elapsed)
            checked.write { $0 = checks }
            for check in checks {
                ThreadContext.current.trace?.record(.expectation(text: check.text, passed: check.passed))
            }
            outcome.write { $0 = (elapsed, failure) }
        }

        var abandoned = false
        var scheduleDivergence: String?
        var preemptions = 0
        var threadsLeft = 0
        var schedule: (picks: [Int], runnable: [Int])?
        switch spec.kind {
        case .deterministic:
            let runtime = DeterministicRuntime(
                seed: spec.seed, strategy: SchedulingStrategy(spec.strategy),
                cores: spec.cores, trace: traced ? sink : nil)
            if let schedule = options.schedule {
                runtime.follow(picks: schedule.picks, runnable: schedule.runnable, thenStrategy: options.scheduleIsPrefix)
            }
            if let guide = options.guide { runtime.guide(guide) }
            do { try runtime.run(abandonsThreadsAtExit: true, program) } catch { outcome.write { $0 = (0, error) } }
            deadlocks.write { $0 = runtime.deadlocks }
            // The run's choices, for `futureslab schedule` and `run --schedule`: the trace's last line.
            schedule = runtime.decisions
            preemptions = runtime.preemptions
            if let divergence = runtime.divergence {
                scheduleDivergence = "the program left the schedule at scheduling point \(divergence.step + 1): "
                    + (divergence.expected == 0 ? "the schedule had ended" : "it expected \(divergence.expected) runnable threads, there were \(divergence.found)")
                    + " (the scenario, its parameters or its seed changed since the schedule was recorded)"
            }
        case .native:
            // The watchdog releases a deadlock's waits (they throw
            // DeadlockError) and the program goes on. Only if it still has
            // not ended well after a report — a wait that cannot be released,
            // such as a real poll(2) — is the run abandoned.
            let finished = DispatchSemaphore(value: 0)
            let lastDeadlock = Locked<DispatchTime?>(nil)
            let runtime = NativeRuntime(trace: sink, watchdog: options.deadlockThreshold) { _ in
                lastDeadlock.write { $0 = .now() }
            }
            let grace = UInt64(options.deadlockThreshold.clampedNanoseconds) * 5
            do {
                _ = try runtime.startThread(named: "MainThread") {
                    program()
                    finished.signal()
                }
                let began = DispatchTime.now().uptimeNanoseconds
                var stoppedAt: UInt64?
                while finished.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                    let now = DispatchTime.now().uptimeNanoseconds
                    if let last = lastDeadlock.read({ $0 }), now - last.uptimeNanoseconds > grace { break }
                    // --max-wall: every thread stops at its next step; one that
                    // does not come back within a second is left (the run ends).
                    if let wall = options.limits.wallSeconds, stoppedAt == nil, Double(now - began) / 1e9 > wall {
                        interpreter.reachLimit(.wall)
                        stoppedAt = now
                    }
                    if let stoppedAt, now - stoppedAt > 1_000_000_000 { break }
                }
            } catch {
                outcome.write { $0 = (0, error) }
            }
            abandoned = outcome.read { $0 == nil }
            // Main signals just before its thread ends: give the last threads a moment.
            for _ in 0..<100 where (runtime.threadsAlive ?? 0) > 0 { usleep(10_000) }
            threadsLeft = runtime.threadsAlive ?? 0
        }

        // Again for an abandoned run (idempotent): ports are always released.
        interpreter.sync.stopServers()
        if abandoned {
            // The native program never came back: check what can be checked now.
            let trace = recorder.trace
            let model = RunModel(header: trace.header, events: trace.events)
            for check in Expectations.check(scenario, model: model, interpreter: interpreter, elapsed: Double(model.endTime) / 1e9) {
                recorder.record(.expectation(text: check.text, passed: check.passed))
            }
        }
        var (header, events) = recorder.trace
        // The trace says the run came to its end (a trace cut short does not).
        events.append(TraceEvent(seq: events.count + 1, nanoseconds: events.last?.nanoseconds ?? 0, .ended))
        if let schedule {
            // Written after the run, by no thread of it.
            events.append(TraceEvent(seq: events.count + 1, nanoseconds: events.last?.nanoseconds ?? 0,
                                     .schedule(picks: schedule.picks, runnable: schedule.runnable)))
        }
        let result = outcome.read { $0 }
        let model: RunModel
        if traced {
            model = RunModel(header: header, events: events)
        } else {
            header.runtime = .deterministic
            header.seed = spec.seed
            header.strategy = SchedulingStrategy(spec.strategy)
            model = Self.outcomeModel(header: header, deadlocks: deadlocks.read { $0 }, measurements: interpreter.measurements,
                                      expectations: checked.read { $0 })
        }
        let expectsDeadlock = scenario.expectations.contains { if case .deadlock(true) = $0.check { true } else { false } }
        let uncaught = result?.error.flatMap { error -> String? in
            if error is DeadlockError, expectsDeadlock { return nil }
            return Interpreter.repr(error)
        }
        let limitReached = interpreter.limitReached.read { $0 }
        let exitCode: RunExitCode
        if limitReached != nil {
            exitCode = .limitReached
        } else if !model.deadlocks.isEmpty, !expectsDeadlock {
            exitCode = .deadlock
        } else if uncaught != nil || model.expectations.contains(where: { !$0.passed }) {
            exitCode = .expectationFailed
        } else {
            exitCode = .success
        }
        var run = RunResult(header: header, events: events, model: model, elapsed: result?.elapsed ?? Double(model.endTime) / 1e9,
                            uncaughtError: uncaught, exitCode: exitCode)
        run.scheduleDivergence = scheduleDivergence
        run.schedule = schedule
        run.preemptions = preemptions
        run.threadsLeft = threadsLeft
        run.limitReached = limitReached
        return run
    }
}

extension ScenarioRunner {
    /// The model of an untraced run: its deadlocks, measurements and
    /// expectations — all a lean run knows, and all its outcome needs.
    static func outcomeModel(header: TraceHeader, deadlocks: [DeadlockReport], measurements: [(name: String, value: Double)],
                             expectations: [Expectations.Outcome]) -> RunModel {
        var payloads = deadlocks.map { TraceEvent.Payload.deadlock(.init($0)) }
        payloads += measurements.map { .measurement(name: $0.name, value: $0.value) }
        payloads += expectations.map { .expectation(text: $0.text, passed: $0.passed) }
        return RunModel(header: header, events: payloads.enumerated().map { TraceEvent(seq: $0.offset + 1, nanoseconds: 0, $0.element) })
    }
}

extension Scenario {
    /// Whether checking the expectations needs the trace (futures, orders, the log).
    var expectationsReadTrace: Bool {
        expectations.contains {
            switch $0.check {
            case .completionOrder, .startOrder, .states, .logOrder: true
            case .equal, .deadlock, .elapsed, .measurement: false
            }
        }
    }
}

/// A run in progress, as a watcher sees it (any thread).
public struct LiveRun: Sendable {
    /// The run's recorder (an `IncrementalTraceFile` drains it as the run goes).
    public let recorder: TraceRecorder
    let sink: ProgressSink

    /// (done, submitted) futures so far.
    public var counts: (done: Int, submitted: Int) { sink.counts }

    /// The trace so far: its header and every event recorded up to now.
    public var snapshot: (header: TraceHeader, events: [TraceEvent]) { recorder.trace }

    /// The header and the events recorded since `cursor` (those of the last
    /// 20 ms wait for the next call, so that a slower thread's cannot come
    /// out of order): what a live view reads each frame.
    public func drain(_ cursor: inout TraceCursor) -> (header: TraceHeader, events: [TraceEvent]) {
        (recorder.currentHeader, recorder.drain(&cursor, holdback: 20_000_000))
    }
}

/// The process tasks a scenario's process pools run, registered once.
private let registerTasks: Void = {
    StandardTasks.register()
    ScenarioTasks.register()
}()

extension SchedulingStrategy {
    /// The core's strategy for a scenario's `runtime.strategy`.
    init(_ strategy: RuntimeSpec.Strategy) {
        switch strategy {
        case .random: self = .random
        case .roundRobin: self = .roundRobin
        case .pct: self = .pct
        }
    }
}

/// Whether `path` is absolute with no `.`, `..` or empty component (what
/// standardizing it would give back unchanged).
private func isStandardAbsolutePath(_ path: String) -> Bool {
    guard path.hasPrefix("/"), path.utf8.count > 1, !path.hasSuffix("/"), !path.hasSuffix("/."), !path.hasSuffix("/..") else {
        return false
    }
    return !path.contains("//") && !path.contains("/./") && !path.contains("/../")
}
