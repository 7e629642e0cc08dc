import CFuturesShim
import FuturesTrace
import FuturesTraceSchema

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The scheduler of a deterministic run: exactly one of its threads runs at a
/// time (the one holding the baton), and at every scheduling point the running
/// thread hands the baton to the thread the strategy picks.
///
/// Scheduling points: park, sleep, busy, spin, thread start, thread end, and a
/// park that finds its token. Unpark and clock reads are not (the core calls
/// `unpark` under its own locks).
///
/// Virtual time moves only when no thread can run: the clock jumps to the
/// earliest deadline (a sleep, a timed wait, the end of simulated CPU work) and
/// wakes whatever was waiting for it. When nothing can run and nothing has a
/// deadline, either the run is over (only idle workers are left) or it is a
/// deadlock: the runtime's reporter explains it, and every blocked call is
/// released with `.deadlocked(report)`.
///
/// Every thread of a run is a fiber of one host OS thread, started when a run
/// begins from outside and ending once no thread of the run is left: a
/// hand-off is a stack switch (tens of nanoseconds), not the wake-up of another
/// OS thread (4.5 µs on this VM). Shuttle and Loom run their threads as
/// coroutines for the same reason. A fiber never moves to another OS thread.
///
/// Threading rule: every `var` is read and written under `lock` (the clock is
/// also readable without it), and the lock is never held across a switch —
/// but for `threadLocalKeys`, set once by the runtime's initializer before
/// any thread exists and only read after.
final class Scheduler: @unchecked Sendable {
    // @unchecked: the threading rule above.
    private let lock = OSMutex()
    private let strategy: SchedulingStrategy
    private var random: SeededGenerator
    /// Threads that have not ended, in the order they were registered.
    private var threads: [SimThread] = []
    private var nextThreadID = 0
    /// Runnable threads, in the order they became runnable.
    private var runQueue: [SimThread] = []
    /// The thread holding the baton; nil when the run is quiescent.
    private var current: SimThread?
    /// Virtual nanoseconds; written under `lock`, read without it (the trace
    /// recorder stamps events while the scheduler holds its lock).
    private let virtualClock = Atomic<UInt64>(0)
    private var clock: UInt64 {
        get { virtualClock.load(ordering: .acquiring) }
        set { virtualClock.store(newValue, ordering: .releasing) }
    }
    private var freeCores: Int
    private var coreQueue: [SimThread] = []
    private var quiescenceWaiters: [any Parker] = []
    private var stepCount: UInt64 = 0
    private var switchCount: UInt64 = 0
    /// The host OS thread's own fiber, while a host thread runs.
    private var host: Fiber?
    private var hostRunning = false
    /// Futex word the host sleeps on while the run is quiescent but some of
    /// its threads are still alive (blocked, e.g. idle workers).
    private let hostBaton: OpaquePointer = fl_parker_create()
    /// Ended threads whose fibers are still to be freed, by whatever runs
    /// next on the host (never by the ended fiber itself, which runs on it).
    private var ended: [SimThread] = []

    /// Explains a deadlock (the runtime's wait-for graph); called under `lock`.
    var reportDeadlock: (_ stuck: [(name: String, reason: WaitReason)], _ time: UInt64) -> DeadlockReport = { stuck, time in
        DeadlockReport(
            time: Double(time) / 1e9, kind: .stuck,
            blocked: stuck.map { .init(name: $0.name, reason: $0.reason, waitsFor: $0.reason.description, waitsOn: []) },
            cycle: [])
    }
    /// Receives the scheduler's own events (waits, deadlocks); called under
    /// `lock`. Nil when nothing reads them (a lean run): the events are then
    /// not even made.
    var record: ((CoreEvent) -> Void)?

    /// Every choice so far: at each scheduling point, how many threads were
    /// runnable and which was picked (its place in the run queue).
    private var picks: [Int] = []
    private var runnableCounts: [Int] = []
    /// A schedule to follow instead of the strategy's picks, and where the
    /// program first left it (a point with another number of runnable threads).
    private var forced: (picks: [Int], runnable: [Int])?
    private var forcedIsPrefix = false
    private var divergedAt: (step: Int, expected: Int, found: Int)?
    /// Decides every choice the schedule does not (explore's minimiser, the
    /// manual scheduler); called under `lock`, so it must not call back.
    private var guide: ((SchedulingPoint) -> Int)?
    /// Points where the thread that reached them could have gone on but
    /// another was picked.
    private var preemptionCount = 0

    /// Follow `schedule` (set before the run starts).
    func follow(picks: [Int], runnable: [Int], thenStrategy: Bool) {
        lock.withLock {
            forced = (picks, runnable)
            forcedIsPrefix = thenStrategy
        }
    }

    /// Let `guide` make the choices a followed schedule does not (set before the run starts).
    func guide(_ decide: @escaping (SchedulingPoint) -> Int) {
        lock.withLock { guide = decide }
    }

    var preemptions: Int { lock.withLock { preemptionCount } }

    /// The choices made so far.
    var decisions: (picks: [Int], runnable: [Int]) { lock.withLock { (picks, runnableCounts) } }
    var divergence: (step: Int, expected: Int, found: Int)? { lock.withLock { divergedAt } }

    /// PCT's change points (step numbers), lowest first, and the priority the
    /// next one gives (below every initial priority).
    private var changePoints: [UInt64] = []
    private var nextLowPriority: UInt64

    deinit {
        fl_parker_destroy(hostBaton)
    }

    /// The thread whose end ends the run (`run(abandonsThreadsAtExit:)`):
    /// threads still alive then are never resumed. Set before it starts.
    var endsTheRun: SimThread?

    /// The thread-local slots each fiber keeps its own values of: the
    /// thread's context, and those of the trace sink (set before any thread starts).
    var threadLocalKeys: [pthread_key_t] = [threadContextKey]

    init(strategy: SchedulingStrategy, seed: UInt64, cores: Int) {
        self.strategy = strategy
        self.random = SeededGenerator(seed: seed)
        self.freeCores = max(1, cores)
        self.nextLowPriority = UInt64(pctDepth)
        if strategy == .pct {
            changePoints = (1..<pctDepth).map { _ in 1 + random.next() % pctHorizon }.sorted()
        }
    }

    // MARK: - Queries

    var now: UInt64 { clock }
    var steps: UInt64 { lock.withLock { stepCount } }
    var switches: UInt64 { lock.withLock { switchCount } }

    // MARK: - Threads

    /// Registers a new thread, runnable, whose fiber will run `body` when the
    /// scheduler first picks it. Follow with `started`.
    func register(name: String, body: @escaping @Sendable () -> Void) throws -> SimThread {
        let thread = lock.withLock {
            defer { nextThreadID += 1 }
            return SimThread(id: nextThreadID, name: name)
        }
        let start = Unmanaged.passRetained(FiberStart(scheduler: self, thread: thread, body: body))
        guard let fiber = Fiber.make(entry: runFiber, argument: start.toOpaque(), keys: threadLocalKeys) else {
            start.release()
            throw RuntimeError("can't start thread \(name): no memory for its stack")
        }
        lock.withLock {
            thread.fiber = fiber
            // Initial PCT priorities sit above the change points' (pctDepth…1).
            thread.priority = UInt64(pctDepth) + 1 + random.next() % (UInt64.max / 2)
            threads.append(thread)
            runQueue.append(thread)
        }
        return thread
    }

    /// After `register`: a scheduling point for the starting thread (`caller`,
    /// nil if it is not one of ours), or the start of a quiescent run.
    func started(_ thread: SimThread, by caller: SimThread?) throws {
        if let caller {
            lock.withLock { reschedule(caller) }
            return
        }
        let start = lock.withLock { current == nil ? resumeFromOutside(with: thread) : false }
        guard start else { return }
        do {
            try startHost()
        } catch {
            // Nothing of the run ran: forget the thread (its fiber never started).
            lock.withLock {
                hostRunning = false
                current = nil
                thread.state = .finished
                runQueue.remove(thread)
                threads.remove(thread)
            }
            throw error
        }
    }

    /// The thread's body returned: it ends, and the baton goes on. Returns
    /// the switch the ended fiber makes last (its locals already handed over):
    /// the caller must hold no references when it makes it, since the fiber
    /// is never resumed and its stack is freed by the next one to run.
    fileprivate func finish(_ thread: SimThread) -> (from: OpaquePointer, to: OpaquePointer) {
        lock.lock()
        thread.state = .finished
        runQueue.remove(thread)
        threads.remove(thread)
        ended.append(thread)
        stepCount += 1
        // The thread whose end ends the run: nothing runs after it.
        let target = handOver(to: thread === endsTheRun ? nil : pickNext(after: nil))
        let fiber = thread.fiber!
        lock.unlock()
        fiber.handOverLocals(to: target)
        return (fiber.pointer, target.pointer)
    }

    /// Frees the fibers of ended threads; called by each fiber or host right
    /// after it is switched to.
    fileprivate func reapEnded() {
        lock.lock()
        guard !ended.isEmpty else { return lock.unlock() }
        let fibers = ended.compactMap { thread -> Fiber? in
            defer { thread.fiber = nil }
            return thread.fiber
        }
        ended = []
        lock.unlock()
        _ = fibers  // released here, outside the lock
    }

    // MARK: - Scheduling points

    func park(_ thread: SimThread, deadline: UInt64?, reason: WaitReason) -> ParkResult {
        lock.lock()
        defer { lock.unlock() }
        if thread.token {
            thread.token = false
            reschedule(thread)
            return .unparked
        }
        thread.state = .blocked(reason, deadline: deadline)
        runQueue.remove(thread)
        record?(.waitBegan(thread: thread.name, reason: reason))
        reschedule(thread)
        let result = thread.wake
        if result == .unparked { thread.token = false }
        record?(.waitEnded(thread: thread.name, reason: reason, timedOut: result == .timedOut))
        return result
    }

    /// Not a scheduling point: makes a blocked thread runnable, or leaves a
    /// token. If the run was quiescent (woken from outside), it resumes.
    func unpark(_ thread: SimThread) {
        let start = lock.withLock { () -> Bool in
            thread.token = true
            guard case .blocked = thread.state else { return false }
            thread.state = .runnable
            thread.wake = .unparked
            runQueue.append(thread)
            return current == nil ? resumeFromOutside(with: thread) : false
        }
        // A blocked thread is alive, so its host is still running: never taken.
        if start {
            do { try startHost() } catch { fatalError("deterministic run: \(error)") }
        }
    }

    func sleep(_ thread: SimThread, nanoseconds: UInt64) {
        lock.withLock {
            thread.state = .sleeping(until: Self.later(clock, by: nanoseconds))
            runQueue.remove(thread)
            record?(.waitBegan(thread: thread.name, reason: .sleep))
            reschedule(thread)
            record?(.waitEnded(thread: thread.name, reason: .sleep, timedOut: true))
        }
    }

    /// Occupies a simulated core for `nanoseconds` of virtual time, waiting
    /// for a free one first.
    func busy(_ thread: SimThread, nanoseconds: UInt64) {
        lock.withLock {
            runQueue.remove(thread)
            if freeCores > 0 {
                freeCores -= 1
                thread.state = .busy(until: Self.later(clock, by: nanoseconds))
            } else {
                thread.state = .waitingForCore(duration: nanoseconds)
                coreQueue.append(thread)
                record?(.waitBegan(thread: thread.name, reason: .other("a free core")))
            }
            reschedule(thread)
        }
    }

    /// A scheduling point where the thread stays runnable.
    func yield(_ thread: SimThread) {
        lock.withLock { reschedule(thread) }
    }

    // MARK: - Quiescence

    /// Blocks a thread that is not one of ours until no thread of the run can
    /// run (every one finished or idle).
    func waitUntilQuiescent(parkingOn parker: any Parker) {
        lock.lock()
        while current != nil {
            quiescenceWaiters.append(parker)
            lock.unlock()
            _ = parker.park(until: nil, reason: .other("the end of the deterministic run"))
            lock.lock()
        }
        lock.unlock()
    }

    // MARK: - The baton

    /// A scheduling point for `thread` (under `lock`, and returns with it
    /// held): it keeps the baton, or hands it on and is suspended until it
    /// gets it back.
    private func reschedule(_ thread: SimThread) {
        stepCount += 1
        let next = pickNext(after: thread)
        guard next !== thread else { return }
        let target = handOver(to: next)
        let fiber = thread.fiber!
        lock.unlock()
        fiber.switchTo(target)
        lock.lock()
        if !ended.isEmpty {
            lock.unlock()
            reapEnded()
            lock.lock()
        }
        assert(current === thread, "a fiber resumed without the baton")
    }

    /// Makes `next` the baton holder (under `lock`) and returns the fiber to
    /// switch to: `next`'s, or with no next thread (the run is quiescent,
    /// and whoever waits for that is told) the host's.
    private func handOver(to next: SimThread?) -> Fiber {
        current = next
        if let next {
            switchCount += 1
            return next.fiber!
        }
        let waiters = quiescenceWaiters
        quiescenceWaiters = []
        for parker in waiters { parker.unpark() }
        return host!
    }

    /// From outside the run, which is quiescent (under `lock`): gives `next`
    /// the baton and wakes the host. Returns true when there is no host
    /// thread and the caller must start one (`startHost`) after unlocking.
    private func resumeFromOutside(with next: SimThread) -> Bool {
        current = next
        switchCount += 1
        if hostRunning {
            fl_parker_unpark(hostBaton)
            return false
        }
        hostRunning = true
        return true
    }

    private func startHost() throws {
        try startDetachedThread(named: "deterministic-host") { [self] in hostMain() }
    }

    /// The host OS thread: switches to the baton holder's fiber whenever there
    /// is one, sleeps while the run is quiescent, and ends when no thread of
    /// the run is left.
    private func hostMain() {
        host(until: { false })
    }

    /// Makes the calling OS thread the run's host, if none is (then it must
    /// call `host(until:)`): a run started from outside is hosted by its
    /// caller, which would only wait otherwise — no OS thread is made and
    /// woken for each run (`explore` makes thousands).
    func claimHost() -> Bool {
        lock.withLock {
            guard !hostRunning else { return false }
            hostRunning = true
            return true
        }
    }

    /// Runs the run's fibers on the calling thread (which claimed the host)
    /// until no thread of the run is left, or the run is quiescent and
    /// `done()` (asked under the lock).
    func host(until done: () -> Bool) {
        let own = Fiber.host(keys: threadLocalKeys)
        lock.lock()
        host = own
        while true {
            if let next = current {
                let target = next.fiber!
                lock.unlock()
                own.switchTo(target)
                reapEnded()
                lock.lock()
            } else if threads.isEmpty || done() {
                break
            } else {
                lock.unlock()
                _ = fl_parker_park(hostBaton, 0, 0)
                lock.lock()
            }
        }
        host = nil
        hostRunning = false
        lock.unlock()
    }

    // MARK: - Choosing

    /// The thread to run next: a runnable one by the strategy; else time moves
    /// to the earliest deadline; else a deadlock is reported and its waits
    /// released; else nil (the run is quiescent).
    private func pickNext(after thread: SimThread?) -> SimThread? {
        while true {
            if !runQueue.isEmpty { return choose(after: thread) }
            if advanceClock() { continue }
            if releaseDeadlock() { continue }
            return nil
        }
    }

    /// The next thread: the strategy's pick (its side effects — the random
    /// stream, the round-robin rotation, PCT's priorities — always happen, so a
    /// followed schedule leaves the run as the strategy would), or the
    /// schedule's while the program follows it. Every choice is recorded.
    private func choose(after thread: SimThread?) -> SimThread {
        var index = strategyPick(after: thread)
        let step = picks.count
        let previous = thread.flatMap { thread in runQueue.firstIndex { $0 === thread } }
        if let forced, divergedAt == nil, !(forcedIsPrefix && step >= forced.picks.count) {
            if step < forced.picks.count, forced.runnable[step] == runQueue.count, forced.picks[step] < runQueue.count {
                index = forced.picks[step]
            } else {
                divergedAt = (step, step < forced.runnable.count ? forced.runnable[step] : 0, runQueue.count)
            }
        } else if let guide {
            let point = SchedulingPoint(step: step, runnable: runQueue.map { .init(id: $0.id, name: $0.name) },
                                        previous: previous, reachedBy: thread.map { .init(id: $0.id, name: $0.name) },
                                        strategyPick: index)
            let chosen = guide(point)
            if chosen >= 0, chosen < runQueue.count { index = chosen }
        }
        if let previous, previous != index { preemptionCount += 1 }
        picks.append(index)
        runnableCounts.append(runQueue.count)
        return runQueue[index]
    }

    private func strategyPick(after thread: SimThread?) -> Int {
        switch strategy {
        case .random:
            return Int(random.next() % UInt64(runQueue.count))
        case .roundRobin:
            if let thread, runQueue.count > 1, runQueue.first === thread {
                runQueue.append(runQueue.removeFirst())
            }
            return 0
        case .pct:
            if let thread, let point = changePoints.first, stepCount >= point {
                changePoints.removeFirst()
                thread.priority = nextLowPriority
                nextLowPriority -= 1
            }
            // Highest priority first; ties (none in practice) by run-queue order.
            var best = 0
            for (index, candidate) in runQueue.enumerated().dropFirst() where candidate.priority > runQueue[best].priority {
                best = index
            }
            return best
        }
    }

    /// Moves the clock to the earliest deadline and wakes what waited for it.
    /// `clock + nanoseconds`, saturating one short of `UInt64.max` (which
    /// means "no deadline"): a sleep past the end of the clock ends at its
    /// end, and the run goes on from there — never a wrap-around, never a
    /// sleep that nothing wakes.
    static func later(_ clock: UInt64, by nanoseconds: UInt64) -> UInt64 {
        let (sum, overflow) = clock.addingReportingOverflow(nanoseconds)
        return overflow || sum == .max ? .max - 1 : sum
    }

    private func advanceClock() -> Bool {
        // A loop, not compactMap + min: this runs at every round of sleeps.
        var earliest = UInt64.max
        for thread in threads where thread.deadline < earliest { earliest = thread.deadline }
        guard earliest != .max else { return false }
        clock = max(clock, earliest)
        let now = clock
        for thread in threads where thread.deadline <= now {
            if case .busy = thread.state { freeCores += 1 }
            if case .blocked = thread.state { thread.wake = .timedOut }
            thread.state = .runnable
            runQueue.append(thread)
        }
        while freeCores > 0, !coreQueue.isEmpty {
            let waiting = coreQueue.removeFirst()
            guard case .waitingForCore(let duration) = waiting.state else { continue }
            record?(.waitEnded(thread: waiting.name, reason: .other("a free core"), timedOut: false))
            freeCores -= 1
            waiting.state = .busy(until: Self.later(clock, by: duration))
        }
        return true
    }

    /// If threads are blocked on something with no deadline, that is a
    /// deadlock: report it and release every such wait.
    private func releaseDeadlock() -> Bool {
        let stuck = threads.filter(\.isBlockedOnSomething)
        guard !stuck.isEmpty else { return false }
        let waits: [(name: String, reason: WaitReason)] = stuck.compactMap {
            if case .blocked(let reason, _) = $0.state { return ($0.name, reason) }
            return nil
        }
        let report = reportDeadlock(waits, clock)
        record?(.deadlock(report))
        for thread in stuck {
            thread.state = .runnable
            thread.wake = .deadlocked(report)
            runQueue.append(thread)
        }
        return true
    }
}

extension Array where Element == SimThread {
    /// Removes `thread` (at most once: no thread is in a list twice).
    /// Cheaper than `removeAll(where:)`, which rebuilds the array.
    mutating func remove(_ thread: SimThread) {
        if let index = firstIndex(where: { $0 === thread }) { remove(at: index) }
    }
}

/// What a new fiber needs to begin: passed to `runFiber` as a retained pointer.
private final class FiberStart {
    let scheduler: Scheduler
    let thread: SimThread
    var body: (@Sendable () -> Void)?

    init(scheduler: Scheduler, thread: SimThread, body: @escaping @Sendable () -> Void) {
        self.scheduler = scheduler
        self.thread = thread
        self.body = body
    }
}

/// The first and last frame of every fiber. The body's references are all
/// released inside the `do` block: the final switch never returns, so nothing
/// may still be held across it.
private func runFiber(_ raw: UnsafeMutableRawPointer?) {
    let last: (from: OpaquePointer, to: OpaquePointer)
    do {
        let start = Unmanaged<FiberStart>.fromOpaque(raw!).takeRetainedValue()
        start.scheduler.reapEnded()
        start.body?()
        start.body = nil
        last = start.scheduler.finish(start.thread)
    }
    fl_fiber_switch(last.from, last.to)
    fatalError("an ended thread of a deterministic run was resumed")
}

/// A choice to make, as a guide sees it (`DeterministicRuntime.guide`).
public struct SchedulingPoint: Sendable {
    public struct Thread: Sendable, Equatable {
        /// Stable within a run: threads are numbered in the order they start.
        public let id: Int
        public let name: String
    }

    /// How many choices came before this one.
    public let step: Int
    /// The runnable threads, in run-queue order: a choice is an index into this.
    public let runnable: [Thread]
    /// The index of the thread that reached the point, if it may go on
    /// running (picking another is a preemption).
    public let previous: Int?
    /// The thread whose step made this a scheduling point (it may have
    /// blocked, slept or ended): nil when the run resumed from outside.
    public let reachedBy: Thread?
    /// What the run's strategy would pick.
    public let strategyPick: Int
}
