import Foundation
import FuturesDashboard
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

/// The dashboard on a terminal: the Elm loop of DESIGN.md. Keys and time go
/// into `Dashboard` (pure), `DashboardRenderer` draws it (pure), `Terminal`
/// shows the cells that changed. Deterministic runs are computed first (they
/// take milliseconds) and played in virtual time; native runs are shown live
/// as their events arrive; replays play a recorded trace.
final class DashboardSession {
    enum Source {
        case replay(header: TraceHeader?, events: [TraceEvent])
        case scenario(Scenario, RunOptions)
        /// The user is the scheduler (`--scheduler manual`).
        case manual(Scenario, RunOptions)
        /// A trace still being written (`attach`).
        case follow(TraceFollower)
    }

    /// A native run going on in the background.
    private final class LiveFeed: @unchecked Sendable {
        // @unchecked: `live` and `result` are only touched under `lock`;
        // `cursor` only by the dashboard's thread (`drain`).
        private let lock = NSLock()
        private var live: LiveRun?
        private var result: RunResult?
        let started = monotonicNanoseconds()

        func attach(_ live: LiveRun) { lock.withLock { self.live = live } }
        func finish(_ result: RunResult) { lock.withLock { self.result = result } }
        var finished: RunResult? { lock.withLock { result } }
        var snapshot: (header: TraceHeader, events: [TraceEvent])? { lock.withLock { live }?.snapshot }
        /// Where the view's reading of the recorder has got to (the UI thread's alone).
        private var cursor = TraceCursor()
        /// The events recorded since the last call (nil before the run has started).
        func drain() -> (header: TraceHeader, events: [TraceEvent])? {
            guard let live = lock.withLock({ live }) else { return nil }
            return live.drain(&cursor)
        }
    }

    private var source: Source
    private let color: Bool
    private var dashboard: Dashboard
    private var feed: LiveFeed?
    private var follower: TraceFollower?
    private var manual: ManualSession?
    private var outcome: RunResult?

    /// The view the first run starts with (`--paused`, `--speed`); reruns
    /// start playing at the speed in force.
    private let firstView: ViewState
    private var started = false

    /// `run --trace T` on a terminal: the run's trace is written here when
    /// the dashboard ends (by q or a signal), as far as the run got.
    var traceOutput: String?

    init(source: Source, view: ViewState) {
        self.source = source
        self.color = view.color
        self.firstView = view
        self.dashboard = Dashboard(playback: Playback(header: nil, events: [], isComplete: false), view: view)
    }

    /// Runs until `q` or a termination signal; returns the exit status: the
    /// run's own when it finished (0, 1 or 3), 128 + the signal otherwise.
    func run() -> Int32 {
        catchTerminationSignals()
        start(seed: nil)
        let terminal = Terminal(color: color)
        defer { terminal.restore() }
        var lastTick = monotonicNanoseconds()
        var lastPoll: UInt64 = 0
        var lastDraw: UInt64 = 0
        var dirty = true
        var shownManual: ManualView?
        while true {
            let signal = pendingSignal.load(ordering: .relaxed)
            if signal != 0 {
                terminal.restore()
                writeTrace()
                manual?.run.stop()
                return 128 + signal
            }
            let idle = (dashboard.view.paused || (dashboard.playback.atEnd && feed == nil && follower == nil)) && manual == nil
            if let key = terminal.readKey(milliseconds: idle ? 250 : 15) {
                if key == .resize { terminal.invalidate() }
                switch dashboard.handle(key, pageSize: max(1, terminal.size.height / 4)) {
                case .quit:
                    terminal.restore()
                    printSummary()
                    writeTrace()
                    if let manual {
                        let state = manual.run.state
                        manual.run.stop()
                        if case .finished(let result) = state { return result.exitCode.rawValue }
                    }
                    return outcome.map { $0.exitCode.rawValue } ?? 0
                case .manual(let command):
                    manual?.handle(command, &dashboard)
                case .rerun(let newSeed):
                    rerun(newSeed: newSeed)
                case .rerunWith(let knobs):
                    rerun(with: knobs)
                case .none:
                    break
                }
                dirty = true
            }
            let now = monotonicNanoseconds()
            let before = (dashboard.playback.playhead, dashboard.playback.applied, dashboard.playback.events.count)
            if let manual {
                if manual.refresh(&dashboard) { dirty = true }
                if dashboard.view.manual != shownManual {
                    shownManual = dashboard.view.manual
                    dirty = true
                }
            } else if let follower {
                if now - lastPoll > 100_000_000 {
                    lastPoll = now
                    // Only what was appended since the last poll is read and applied.
                    if follower.poll() {
                        dashboard.append(events: follower.takeNew(), header: follower.trace.header, complete: follower.isComplete)
                    }
                    if follower.isComplete || follower.trace.error != nil {
                        if let error = follower.trace.error { dashboard.view.message = error.description }
                        dashboard.append(events: follower.takeNew(), header: follower.trace.header, complete: true)
                        self.follower = nil
                    }
                }
                dashboard.tick(wallNanoseconds: now - lastTick, liveClock: dashboard.playback.endTime)
            } else if let feed {
                if now - lastPoll > 100_000_000, let fresh = feed.drain() {
                    lastPoll = now
                    // While the run goes, the events recorded since the last
                    // poll; at its end, its trace as written (times from the
                    // clock's final calibration), once.
                    // Read once: a run that ends between two reads would
                    // lose its final trace (and the last 20 ms of events).
                    if let result = feed.finished {
                        dashboard.update(events: result.events, header: result.header, complete: true)
                        outcome = result
                        self.feed = nil
                    } else {
                        dashboard.append(events: fresh.events, header: fresh.header, complete: false)
                    }
                }
                dashboard.tick(wallNanoseconds: now - lastTick, liveClock: max(now - feed.started, dashboard.playback.endTime))
            } else {
                dashboard.tick(wallNanoseconds: now - lastTick)
            }
            lastTick = now
            if before != (dashboard.playback.playhead, dashboard.playback.applied, dashboard.playback.events.count) { dirty = true }
            if dirty, now - lastDraw >= 33_000_000 || idle {
                let size = terminal.size
                terminal.draw(DashboardRenderer.render(dashboard, width: size.width, height: size.height))
                lastDraw = now
                dirty = false
            }
        }
    }

    // MARK: - Runs

    private func start(seed: UInt64?) {
        var view = firstView
        if started {
            view = ViewState(color: color)
            view.speedIndex = dashboard.view.speedIndex
            view.asksQuestions = firstView.asksQuestions
        }
        started = true
        switch source {
        case .replay(let header, let events):
            dashboard = Dashboard(playback: Playback(header: header, events: events, isComplete: true), view: view)
        case .follow(let follower):
            self.follower = follower
            var liveView = view
            liveView.isLive = true
            let trace = follower.trace
            dashboard = Dashboard(playback: Playback(header: trace.header, events: trace.events, isComplete: follower.isComplete),
                                  view: liveView)
        case .manual(let scenario, var options):
            if let seed { options.seed = seed }
            var manualView = view
            manualView.asksQuestions = false
            manualView.paused = false
            manualView.manual = ManualView()
            dashboard = Dashboard(playback: Playback(header: nil, events: [], isComplete: false), view: manualView)
            manual = ManualSession(scenario, options: options)
        case .scenario(let scenario, var options):
            if let seed { options.seed = seed }
            if (options.runtime ?? scenario.runtime.kind) == .native {
                let feed = LiveFeed()
                options.onStart = { live in feed.attach(live) }
                self.feed = feed
                outcome = nil
                var liveView = view
                liveView.isLive = true
                dashboard = Dashboard(playback: Playback(header: nil, events: [], isComplete: false), view: liveView)
                let liveOptions = options
                let thread = Thread { feed.finish(ScenarioRunner.run(scenario, options: liveOptions)) }
                thread.start()
            } else {
                let result = ScenarioRunner.run(scenario, options: options)
                outcome = result
                dashboard = Dashboard(playback: Playback(header: result.header, events: result.events, isComplete: true), view: view)
                if let divergence = result.scheduleDivergence { dashboard.view.message = "schedule: " + divergence }
            }
            dashboard.view.knobs = Self.knobs(scenario)
        }
    }

    /// The scenario's parameters as knobs, at the values in force.
    static func knobs(_ scenario: Scenario) -> [Knob] {
        scenario.params.map { spec in
            let value = scenario.paramValues[spec.name] ?? spec.defaultValue
            let setting: Knob.Setting
            if let choices = spec.choices {
                setting = .choice(choices.firstIndex(of: value) ?? 0, choices.map(\.description))
            } else {
                switch value {
                case .int(let whole): setting = .int(whole, minimum: spec.minimum.map { Int($0.rounded(.up)) }, maximum: spec.maximum.map { Int($0) })
                case .double(let real): setting = .number(real, minimum: spec.minimum, maximum: spec.maximum)
                case .bool(let flag): setting = .bool(flag)
                default: setting = .text(value.description)
                }
            }
            return Knob(name: spec.name, doc: spec.doc, setting: setting)
        }
    }

    /// The knob panel's enter: the scenario read again with the knobs' values, and run.
    private func rerun(with knobs: [Knob]) {
        guard case .scenario(let scenario, let options) = source else {
            dashboard.view.message = "the knobs rerun a seeded run; here you are the scheduler"
            return
        }
        if feed != nil {
            dashboard.view.message = "the native run is still going: wait for it to end, then rerun"
            return
        }
        let settings = knobs.map { (name: $0.name, value: Value.setting($0.text)) }
        switch ScenarioParser.parse(file: scenario.file, settings: settings) {
        case .success(let parsed):
            source = .scenario(parsed, options)
            start(seed: dashboard.playback.header?.seed)
            dashboard.view.message = "rerun with " + knobs.map { "\($0.name)=\($0.text)" }.joined(separator: " ")
        case .failure(let errors):
            dashboard.view.message = errors.diagnostics.first.map { "\($0.location): \($0.message)" } ?? "the scenario cannot be read"
        }
    }

    private func rerun(newSeed: Bool) {
        if manual != nil {
            dashboard.view.message = "you are the scheduler: u goes back one choice"
            return
        }
        if feed != nil {
            dashboard.view.message = "the native run is still going: wait for it to end, then rerun"
            return
        }
        if case .replay = source {
            var view = ViewState(color: color)
            view.speedIndex = dashboard.view.speedIndex
            view.asksQuestions = firstView.asksQuestions
            dashboard = Dashboard(playback: Playback(header: dashboard.playback.header, events: dashboard.playback.events, isComplete: true),
                                  view: view)
            dashboard.view.message = "replaying from the start"
            return
        }
        let seed: UInt64? = newSeed ? UInt64.random(in: 0...999_999) : dashboard.playback.header?.seed
        start(seed: seed)
        dashboard.view.message = newSeed ? "rerun with seed \(seed ?? 0)" : "rerun with the same seed"
    }

    /// Writes the trace of the run shown (finished, or as far as it got) to
    /// `traceOutput`; a failure is said on stderr.
    private func writeTrace() {
        guard let traceOutput else { return }
        let trace: (header: TraceHeader, events: [TraceEvent])?
        if let manual {
            trace = manual.run.snapshot
        } else if let outcome {
            trace = (outcome.header, outcome.events)
        } else if let snapshot = feed?.snapshot {
            trace = snapshot
        } else {
            trace = dashboard.playback.header.map { ($0, dashboard.playback.events) }
        }
        guard let trace else { return }
        do {
            try write(TraceWriter.file(header: trace.header, events: trace.events), to: traceOutput)
        } catch {
            printError("\(error)")
        }
    }

    /// The run in one line, after the dashboard: on a line of its own (the
    /// restored terminal leaves the cursor on the footer's line).
    private func printSummary() {
        let model = RunModel(header: dashboard.playback.header, events: dashboard.playback.events)
        print("\n\(model.header?.program ?? "run"): " + HeadlessReport.summaryLine(model))
    }
}

func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
