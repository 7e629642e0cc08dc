import CFuturesShim
import FuturesTrace
import FuturesTraceSchema

/// The deterministic runtime: the same program as under the native runtime, but
/// only one thread runs at a time, a seeded strategy picks which at every scheduling
/// point, and time is virtual — `sleep(for: .seconds(4))` costs no wall time and
/// timelines are exact. A run that can make no progress is reported as a
/// deadlock (`deadlocks`, and a `deadlock` trace event) and its blocked calls
/// throw `DeadlockError`, so the program ends instead of hanging.
///
/// Same program + same seed + same strategy ⇒ the same schedule, the same
/// virtual times, the same trace.
///
/// Each thread of a run is a fiber — a stack of its own, running the same core
/// code a native thread would — and all of a run's fibers take turns on one
/// host OS thread, so a hand-off is a stack switch rather than an OS wake-up
/// (see `Scheduler`). Shuttle and Loom do the same with Rust coroutines.
public final class DeterministicRuntime: Runtime {
    public let kind = RuntimeKind.deterministic
    public let seed: UInt64
    public let strategy: SchedulingStrategy
    /// Simulated cores for `busy(for:)`.
    public let cores: Int
    let scheduler: Scheduler
    private let graph: WaitGraph
    private let futureIDs = Counter(startingAt: 1)
    private let executorIndexes = Counter(startingAt: 0)
    private let deadlockLog = DeadlockLog()

    /// - Parameters:
    ///   - seed: seeds the strategy's choices.
    ///   - strategy: how the next thread is picked.
    ///   - cores: simulated cores for CPU work (`busy(for:)`).
    ///   - trace: where core events go (the runtime watches them too, to explain
    ///     deadlocks).
    public init(seed: UInt64 = 0, strategy: SchedulingStrategy = .random, cores: Int = 2, trace: (any TraceSink)? = nil) {
        self.seed = seed
        self.strategy = strategy
        self.cores = max(1, cores)
        self.graph = WaitGraph(downstream: trace)
        self.scheduler = Scheduler(strategy: strategy, seed: seed, cores: cores)
        scheduler.reportDeadlock = { [graph, deadlockLog] stuck, time in
            let report = graph.report(stuck: stuck, time: time)
            deadlockLog.append(report)
            return report
        }
        // The graph itself reads none of the scheduler's events (waits,
        // deadlocks): they only pass through it to the trace.
        if trace != nil { scheduler.record = { [graph] event in graph.record(event) } }
        if let sink = trace as? any RuntimeAttachedSink {
            scheduler.threadLocalKeys += sink.perThreadKeys
            // Events are counted: one thread runs at a time, so the count is
            // uncontended and gives the exact order within one virtual instant.
            let order = Counter(startingAt: 1)
            sink.attach(
                header: TraceHeader(program: "", runtime: kind, seed: seed, strategy: strategy, cores: self.cores),
                clock: TraceClock(stamp: { [scheduler] in (scheduler.now, order.next()) }, converter: { { $0 } }),
                currentThread: { ThreadContext.current.name })
        }
    }

    /// Always set: the runtime's own observer, which forwards to the sink
    /// given at init.
    public var trace: (any TraceSink)? { graph }

    /// The deadlocks found so far, in order.
    public var deadlocks: [DeadlockReport] { deadlockLog.all }

    /// Follow a recorded schedule instead of the strategy's picks (call
    /// before `run`). With `thenStrategy`, the schedule is a prefix: when it
    /// ends, the strategy goes on (else the run going on past it is a divergence).
    public func follow(picks: [Int], runnable: [Int], thenStrategy: Bool = false) {
        scheduler.follow(picks: picks, runnable: runnable, thenStrategy: thenStrategy)
    }

    /// Let `decide` make every choice a followed schedule does not: it gets
    /// the runnable threads and returns the index of the one to run (out of
    /// range: the strategy's pick). Called at each scheduling point with the
    /// scheduler's lock held: it must not call into the run. Set before `run`.
    public func guide(_ decide: @escaping (SchedulingPoint) -> Int) {
        scheduler.guide(decide)
    }

    /// Points where the thread that reached them could have gone on but another ran.
    public var preemptions: Int { scheduler.preemptions }

    /// Every scheduling choice of the run: how many threads were runnable, which was picked.
    public var decisions: (picks: [Int], runnable: [Int]) { scheduler.decisions }

    /// Where the run first left the schedule it followed, if it did.
    public var divergence: (step: Int, expected: Int, found: Int)? { scheduler.divergence }

    /// Scheduling points passed so far (a measure of work for benchmarks).
    public var steps: UInt64 { scheduler.steps }

    /// Times the baton moved to another thread.
    public var switches: UInt64 { scheduler.switches }

    // MARK: - Running a program

    /// Runs `program` as the run's main thread and returns its result once it
    /// has finished and no thread of the run can do anything more. Call it from
    /// a thread that is not part of a deterministic run.
    ///
    /// With `abandonsThreadsAtExit`, the run ends when `program` returns, as
    /// a Python process exits when main ends: threads still alive then (the
    /// daemon threads a scenario did not join) are abandoned where they
    /// stand — not run on, and not reported as a deadlock if they wait.
    @discardableResult
    public func run<R: Sendable>(named name: String = "MainThread", abandonsThreadsAtExit: Bool = false,
                                 _ program: @escaping @Sendable () throws -> R) throws -> R {
        let outcome = OutcomeBox<R>()
        // The caller hosts the run's fibers itself, unless a host is already
        // running (threads of an earlier run still alive): then it waits.
        let hosting = scheduler.claimHost()
        let thread: DeterministicThread
        do {
            thread = try start(named: name, endsTheRun: abandonsThreadsAtExit) { outcome.set(Result { try program() }) }
        } catch {
            if hosting { scheduler.host(until: { true }) }
            throw error
        }
        if hosting {
            scheduler.host(until: { thread.finished.isOpen })
        } else {
            // Without spinning: a spin would only take a core from the host.
            let caller = SleepingParker()
            thread.finished.wait(parkingOn: caller)
            scheduler.waitUntilQuiescent(parkingOn: caller)
        }
        return try outcome.get()
    }

    // MARK: - Runtime

    public func now() -> RuntimeInstant {
        RuntimeInstant(nanoseconds: scheduler.now)
    }

    public func sleep(for duration: Duration) {
        guard let thread = callingThread() else {
            return NativeRuntime.shared.sleep(for: duration)
        }
        scheduler.sleep(thread, nanoseconds: duration.clampedNanoseconds)
    }

    public func busy(for duration: Duration) {
        guard let thread = callingThread() else {
            return NativeRuntime.shared.busy(for: duration)
        }
        scheduler.busy(thread, nanoseconds: duration.clampedNanoseconds)
    }

    /// A scheduling point, then one look: nobody else runs while this thread
    /// spins, so spinning longer could not change the answer.
    public func spin(upTo duration: Duration, until condition: () -> Bool) -> Bool {
        if let thread = callingThread() { scheduler.yield(thread) }
        return condition()
    }

    public func startThread(named name: String, _ body: @escaping @Sendable () -> Void) throws -> any RuntimeThread {
        try start(named: name, body)
    }

    private func start(named name: String, endsTheRun: Bool = false, _ body: @escaping @Sendable () -> Void) throws -> DeterministicThread {
        let caller = callingThread()
        let handle = DeterministicThread(name: name)
        let context = ContextCell()
        let simThread = try scheduler.register(name: name) { [context] in
            ThreadContext.install(context.take())
            body()
            handle.finished.open()
        }
        context.set(ThreadContext(
            name: name, runtime: self, parker: DeterministicParker(scheduler: scheduler, thread: simThread)))
        if endsTheRun { scheduler.endsTheRun = simThread }
        try scheduler.started(simThread, by: caller)
        return handle
    }

    public func nextFutureID() -> UInt64 {
        futureIDs.next()
    }

    public func nextExecutorIndex() -> UInt64 {
        executorIndexes.next()
    }

    /// The calling thread, if it is one of this run's.
    private func callingThread() -> SimThread? {
        // At every scheduling point: the context is lent (no retain), and the
        // parker's class compared, not cast (`as?` is a runtime call).
        ThreadContext.withCurrent { context in
            let parker = context.parker
            guard ObjectIdentifier(type(of: parker)) == ObjectIdentifier(DeterministicParker.self) else { return nil }
            let ours = unsafeDowncast(parker, to: DeterministicParker.self)
            return ours.scheduler === scheduler ? ours.thread : nil
        }
    }
}

/// A thread of a deterministic run, as its starter sees it.
final class DeterministicThread: RuntimeThread {
    let name: String
    let finished: Latch

    init(name: String) {
        self.name = name
        self.finished = Latch(reason: .thread(name: name))
    }

    func join() {
        finished.wait()
    }

    func join(timeout: Duration?) -> Bool {
        finished.wait(until: currentRuntime.deadline(after: timeout))
    }

    var isAlive: Bool { !finished.isOpen }
}

/// The parker of a thread outside the run waiting for it to end: a futex
/// word it sleeps on at once, never spinning.
// @unchecked: `raw` is created in init, freed in deinit, and only passed to
// fl_parker_* functions, which are safe from any thread.
private final class SleepingParker: Parker, @unchecked Sendable {
    private let raw = fl_parker_create()

    deinit { fl_parker_destroy(raw) }

    func park(until deadline: RuntimeInstant?, reason: WaitReason) -> ParkResult {
        fl_parker_park(raw, deadline?.nanoseconds ?? 0, 0) ? .unparked : .timedOut
    }

    func unpark() { fl_parker_unpark(raw) }
}

/// Deadlock reports, appended under the scheduler's lock, read by anyone.
private final class DeadlockLog: @unchecked Sendable {
    // @unchecked: `reports` is only touched under `lock`.
    private let lock = SpinLock()
    private var reports: [DeadlockReport] = []

    func append(_ report: DeadlockReport) { lock.withLock { reports.append(report) } }
    var all: [DeadlockReport] { lock.withLock { reports } }
}

/// The result of a run's program, set once by its thread.
private final class OutcomeBox<R: Sendable>: @unchecked Sendable {
    // @unchecked: `outcome` is written once before the run's main thread ends
    // and read after `join()` returned (the latch orders the two).
    private let lock = SpinLock()
    private var outcome: Result<R, any Error>?

    func set(_ result: Result<R, any Error>) { lock.withLock { outcome = result } }

    func get() throws -> R {
        guard let outcome = lock.withLock({ outcome }) else {
            throw RuntimeError("the run's main thread ended without a result")
        }
        return try outcome.get()
    }
}

/// A new thread's context, made once its `SimThread` exists (the context's
/// parker names it) and taken by the thread when it first runs.
private final class ContextCell: @unchecked Sendable {
    // @unchecked: set by the starting thread before `Scheduler.started`, which
    // is what lets the new fiber run; taken by that fiber only after.
    private var context: ThreadContext?

    func set(_ context: ThreadContext) { self.context = context }

    func take() -> ThreadContext {
        defer { context = nil }
        return context!
    }
}
