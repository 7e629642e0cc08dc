import Foundation
import FuturesCore
import FuturesScenario
import FuturesTraceSchema

/// Be the scheduler: a deterministic run that stops at every scheduling
/// point with a choice (two or more runnable threads) until told which
/// thread runs, as in The Deadlock Empire. `auto` lets the seeded strategy
/// choose until the next interesting point (a thread at a lock, a queue, a
/// future or a join); `undo` reruns the choices before the last decision
/// (instant: virtual time) and stops there again.
///
/// Each attempt is a run on a thread of its own whose guide blocks (on the
/// run's host thread, where nothing else of the run can go on) until a
/// command comes.
public final class ManualRun: @unchecked Sendable {
    // @unchecked: `attempts` is only touched under `lock`; an attempt's own
    // state is behind its lock.
    public struct Choice: Sendable, Equatable {
        public let thread: String
        /// What the thread is in: `with (line 18)`.
        public let doing: String
    }

    /// Where the run waits for a decision.
    public struct Point: Sendable, Equatable {
        /// Scheduling points passed before this one.
        public let step: Int
        public let choices: [Choice]
        /// What the seeded strategy would pick.
        public let strategyPick: Int
    }

    public enum State: Sendable {
        /// Running between points (or starting).
        case running
        case waiting(Point)
        case finished(RunResult)
    }

    /// Operations at which `auto` stops: where threads meet.
    static let interesting: Set<String> = [
        "with", "acquire", "release", "ordered", "put", "get", "task_done", "join_queue", "result", "exception", "wait",
        "as_completed", "join", "event_wait", "event_set", "condition_wait", "notify", "notify_all", "select", "receive",
        "send", "join_actor",
    ]

    private let scenario: Scenario
    private let options: RunOptions
    private let lock = NSLock()
    /// Every attempt started, the current one last (an undone one finishes
    /// in the background).
    private var attempts: [Attempt] = []
    private var attempt: Attempt { lock.withLock { attempts[attempts.count - 1] } }

    public init(_ scenario: Scenario, options: RunOptions) {
        self.scenario = scenario
        self.options = options
        start(Attempt(prefix: [], decisions: []))
    }

    /// The current attempt's state.
    public var state: State { attempt.state }

    /// The current attempt's trace so far (nil before it has started).
    public var snapshot: (header: TraceHeader, events: [TraceEvent])? { attempt.snapshot }

    /// Decisions made (picks and `auto`s) in the current attempt.
    public var decisions: Int { attempt.decisionCount }

    /// The choices so far, as a schedule: every pick and runnable count, and
    /// whether it is the whole run's (else a prefix; the strategy goes on after it).
    public var schedule: (picks: [Int], runnable: [Int], complete: Bool) { attempt.schedule }

    public var seed: UInt64 { options.seed ?? scenario.runtime.seed }
    public var strategy: RuntimeSpec.Strategy { scenario.runtime.strategy }
    public var program: String { scenario.name }

    /// Runs the thread at `index` of the choices at scheduling point `step`
    /// (ignored unless the run waits there: a key pressed for a point the
    /// screen showed before an undo must not decide another).
    public func pick(_ index: Int, at step: Int) { attempt.answer(.pick(index), at: step) }

    /// Lets the strategy choose from point `step` until the next interesting point.
    public func auto(at step: Int) { attempt.answer(.auto, at: step) }

    /// Goes back to the point of the last decision. Returns false when
    /// there is none to undo.
    @discardableResult
    public func undo() -> Bool {
        let old = attempt
        guard let (prefix, decisions) = old.beforeLastDecision else { return false }
        old.answer(.abort)
        start(Attempt(prefix: prefix, decisions: decisions))
        return true
    }

    /// Ends every attempt (the strategy finishes each, in virtual time) and
    /// waits up to `seconds` for their runs to end, so that nothing of them
    /// still runs while the process exits.
    public func stop(waitingUpTo seconds: Double = 5) {
        let all = lock.withLock { attempts }
        for attempt in all { attempt.answer(.abort) }
        let deadline = DispatchTime.now() + seconds
        for attempt in all where attempt.ended.wait(timeout: deadline) == .success {
            attempt.ended.signal()  // for a later stop
        }
    }

    private func start(_ attempt: Attempt) {
        lock.withLock { attempts.append(attempt) }
        var options = options
        options.runtime = .deterministic
        let tracker = StepTracker()
        options.stepTracker = tracker
        options.onStart = { live in attempt.attach(live) }
        options.guide = { point in attempt.choose(point, tracker: tracker) }
        let (scenario, runOptions) = (scenario, options)
        Thread { attempt.finish(ScenarioRunner.run(scenario, options: runOptions)) }.start()
    }

    /// One run of the program under the user's choices.
    final class Attempt: @unchecked Sendable {
        // @unchecked: every `var` is only touched under `lock`.
        enum Command { case pick(Int), auto, abort }

        let prefix: [Int]
        private let lock = NSLock()
        private let wake = DispatchSemaphore(value: 0)
        private var picks: [Int] = []
        private var runnable: [Int] = []
        /// The scheduling points at which the user decided, in order.
        private var decisionSteps: [Int]
        private var waiting: Point?
        private var command: Command?
        private var auto = false
        private var aborted = false
        private var live: LiveRun?
        private var result: RunResult?

        init(prefix: [Int], decisions: [Int]) {
            self.prefix = prefix
            self.decisionSteps = decisions
        }

        /// Signalled once the run has returned.
        let ended = DispatchSemaphore(value: 0)

        func attach(_ live: LiveRun) { lock.withLock { self.live = live } }
        func finish(_ result: RunResult) {
            lock.withLock { self.result = result }
            ended.signal()
        }

        var state: State {
            lock.withLock {
                if let result { return .finished(result) }
                if let waiting { return .waiting(waiting) }
                return .running
            }
        }

        var snapshot: (header: TraceHeader, events: [TraceEvent])? {
            lock.lock()
            let live = self.live
            let result = self.result
            lock.unlock()
            if let result { return (result.header, result.events) }
            return live?.snapshot
        }

        var decisionCount: Int { lock.withLock { decisionSteps.count } }

        var schedule: (picks: [Int], runnable: [Int], complete: Bool) {
            lock.withLock {
                if let schedule = result?.schedule { return (schedule.picks, schedule.runnable, true) }
                return (picks, runnable, false)
            }
        }

        /// The prefix and decisions of the attempt that stops where the last decision was made.
        var beforeLastDecision: (prefix: [Int], decisions: [Int])? {
            lock.withLock {
                guard let last = decisionSteps.last else { return nil }
                let recorded = result?.schedule?.picks ?? picks
                return (Array(recorded.prefix(last)), Array(decisionSteps.dropLast()))
            }
        }

        func answer(_ command: Command, at step: Int? = nil) {
            let waking = lock.withLock { () -> Bool in
                guard let point = waiting, step == nil || point.step == step else {
                    if case .abort = command { aborted = true }
                    return false
                }
                self.command = command
                waiting = nil
                return true
            }
            if waking { wake.signal() }
        }

        /// The guide: the prefix, then the user's choices (or the strategy's, under `auto`).
        func choose(_ point: SchedulingPoint, tracker: StepTracker) -> Int {
            let index = decide(point, tracker: tracker)
            lock.withLock {
                picks.append(index)
                runnable.append(point.runnable.count)
            }
            return index
        }

        private func decide(_ point: SchedulingPoint, tracker: StepTracker) -> Int {
            if point.step < prefix.count { return prefix[point.step] }
            if point.runnable.count == 1 { return 0 }
            let (aborted, auto) = lock.withLock { (self.aborted, self.auto) }
            if aborted { return point.strategyPick }
            if auto {
                let key = point.reachedBy.flatMap { tracker.current(of: $0.name)?.operation.key }
                guard let key, ManualRun.interesting.contains(key) else { return point.strategyPick }
                lock.withLock { self.auto = false }
            }
            let choices = point.runnable.map { Choice(thread: $0.name, doing: tracker.describe($0.name)) }
            lock.withLock { waiting = Point(step: point.step, choices: choices, strategyPick: point.strategyPick) }
            wake.wait()
            let command = lock.withLock { () -> Command? in
                defer { self.command = nil }
                return self.command
            }
            switch command {
            case .pick(let index)?:
                lock.withLock { decisionSteps.append(point.step) }
                return min(max(0, index), point.runnable.count - 1)
            case .auto?:
                lock.withLock {
                    decisionSteps.append(point.step)
                    self.auto = true
                }
                return point.strategyPick
            case .abort?, nil:
                lock.withLock { self.aborted = true }
                return point.strategyPick
            }
        }
    }
}
