import CFuturesShim
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
/// Threading rule: every `var` is read and written under `lock` (the clock is
/// also readable without it). A thread
/// blocks only in `waitForBatonLocked`, sleeping on its own baton futex with the
/// lock released.
final class Scheduler: @unchecked Sendable {
    private let lock = OSMutex()
    private let strategy: SchedulingStrategy
    private var random: SeededGenerator
    private var threads: [SimThread] = []
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
    /// The CPU every thread of the run is pinned to (see `pinCurrentThread`).
    let cpu: Int32 = fl_current_cpu()

    /// Explains a deadlock (the runtime's wait-for graph); called under `lock`.
    var reportDeadlock: (_ stuck: [(name: String, reason: WaitReason)], _ time: UInt64) -> DeadlockReport = { stuck, time in
        DeadlockReport(
            time: Double(time) / 1e9, kind: .stuck,
            blocked: stuck.map { .init(name: $0.name, reason: $0.reason, waitsFor: $0.reason.description, waitsOn: []) },
            cycle: [])
    }
    /// Receives the scheduler's own events (waits, deadlocks); called under `lock`.
    var record: (CoreEvent) -> Void = { _ in }

    /// PCT's change points (step numbers), lowest first, and the priority the
    /// next one gives (below every initial priority).
    private var changePoints: [UInt64] = []
    private var nextLowPriority: UInt64

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

    /// Registers a new thread, runnable. The caller starts its OS thread, which
    /// must call `waitForBaton` first and `finish` last.
    func register(name: String) -> SimThread {
        lock.withLock {
            let thread = SimThread(id: threads.count, name: name)
            // Initial PCT priorities sit above the change points' (pctDepth…1).
            thread.priority = UInt64(pctDepth) + 1 + random.next() % (UInt64.max / 2)
            threads.append(thread)
            runQueue.append(thread)
            return thread
        }
    }

    /// Forgets a thread whose OS thread could not be started.
    func unregister(_ thread: SimThread) {
        lock.withLock {
            thread.state = .finished
            runQueue.removeAll { $0 === thread }
        }
    }

    /// After `register` and the OS thread's start: a scheduling point for the
    /// starting thread (`caller`, nil if it is not one of ours), or the start of
    /// a quiescent run.
    func started(_ thread: SimThread, by caller: SimThread?) {
        if let caller {
            lock.withLock { reschedule(caller) }
            return
        }
        let baton = lock.withLock { current == nil ? handOver(to: thread) : nil }
        wake(baton)
    }

    /// Pins the calling OS thread to the run's CPU. Only one thread of a run
    /// runs at a time, so nothing is lost; and a baton hand-off between threads
    /// on one CPU is a plain context switch, not a wake-up on another core
    /// (25 µs per switch unpinned on this VM). No spinning on batons either: a
    /// spinner would hold the very CPU the next thread needs.
    func pinCurrentThread() {
        _ = fl_pin_current_thread(cpu)
    }

    /// Blocks a new OS thread until the scheduler first picks it.
    func waitForBaton(_ thread: SimThread) {
        lock.withLock { waitForBatonLocked(thread) }
    }

    /// The thread's body returned: hand the baton on; the OS thread then ends.
    func finish(_ thread: SimThread) {
        let baton = lock.withLock {
            thread.state = .finished
            runQueue.removeAll { $0 === thread }
            stepCount += 1
            return handOver(to: pickNext(after: nil))
        }
        wake(baton)
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
        runQueue.removeAll { $0 === thread }
        record(.waitBegan(thread: thread.name, reason: reason))
        reschedule(thread)
        let result = thread.wake
        if result == .unparked { thread.token = false }
        record(.waitEnded(thread: thread.name, reason: reason, timedOut: result == .timedOut))
        return result
    }

    /// Not a scheduling point: makes a blocked thread runnable, or leaves a
    /// token. If the run was quiescent (woken from outside), it resumes.
    func unpark(_ thread: SimThread) {
        let baton = lock.withLock { () -> OpaquePointer? in
            thread.token = true
            guard case .blocked = thread.state else { return nil }
            thread.state = .runnable
            thread.wake = .unparked
            runQueue.append(thread)
            return current == nil ? handOver(to: thread) : nil
        }
        wake(baton)
    }

    func sleep(_ thread: SimThread, nanoseconds: UInt64) {
        lock.withLock {
            thread.state = .sleeping(until: clock &+ nanoseconds)
            runQueue.removeAll { $0 === thread }
            record(.waitBegan(thread: thread.name, reason: .sleep))
            reschedule(thread)
            record(.waitEnded(thread: thread.name, reason: .sleep, timedOut: true))
        }
    }

    /// Occupies a simulated core for `nanoseconds` of virtual time, waiting
    /// for a free one first.
    func busy(_ thread: SimThread, nanoseconds: UInt64) {
        lock.withLock {
            runQueue.removeAll { $0 === thread }
            if freeCores > 0 {
                freeCores -= 1
                thread.state = .busy(until: clock &+ nanoseconds)
            } else {
                thread.state = .waitingForCore(duration: nanoseconds)
                coreQueue.append(thread)
                record(.waitBegan(thread: thread.name, reason: .other("a free core")))
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
    func waitUntilQuiescent() {
        let parker = ThreadContext.current.parker
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
    /// held): it keeps the baton, or hands it on and sleeps until it gets it
    /// back.
    ///
    /// The next thread's baton is signalled only after the lock is released:
    /// on the run's single CPU the kernel may switch to the woken thread at
    /// once, and finding the lock held it would block on it and switch right
    /// back (four context switches for one hand-off).
    private func reschedule(_ thread: SimThread) {
        stepCount += 1
        let next = pickNext(after: thread)
        guard next !== thread else { return }
        let baton = handOver(to: next)
        lock.unlock()
        wake(baton)
        while true {
            _ = fl_parker_park(thread.baton, 0, 0)
            lock.lock()
            if current === thread { return }
            lock.unlock()
        }
    }

    /// Makes `next` the baton holder (under `lock`); returns its baton, to be
    /// signalled with `wake` once the lock is released. With no next thread
    /// the run is quiescent, and whoever waits for that is told.
    private func handOver(to next: SimThread?) -> OpaquePointer? {
        current = next
        if let next {
            switchCount += 1
            return next.baton
        }
        let waiters = quiescenceWaiters
        quiescenceWaiters = []
        for parker in waiters { parker.unpark() }
        return nil
    }

    private func wake(_ baton: OpaquePointer?) {
        if let baton { fl_parker_unpark(baton) }
    }

    private func waitForBatonLocked(_ thread: SimThread) {
        while current !== thread {
            lock.unlock()
            _ = fl_parker_park(thread.baton, 0, 0)
            lock.lock()
        }
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

    private func choose(after thread: SimThread?) -> SimThread {
        switch strategy {
        case .random:
            return runQueue[Int(random.next() % UInt64(runQueue.count))]
        case .roundRobin:
            if let thread, runQueue.count > 1, runQueue.first === thread {
                runQueue.append(runQueue.removeFirst())
            }
            return runQueue[0]
        case .pct:
            if let thread, let point = changePoints.first, stepCount >= point {
                changePoints.removeFirst()
                thread.priority = nextLowPriority
                nextLowPriority -= 1
            }
            // Highest priority first; ties (none in practice) by run-queue order.
            var best = runQueue[0]
            for candidate in runQueue.dropFirst() where candidate.priority > best.priority {
                best = candidate
            }
            return best
        }
    }

    /// Moves the clock to the earliest deadline and wakes what waited for it.
    private func advanceClock() -> Bool {
        guard let target = threads.compactMap(\.deadline).min() else { return false }
        clock = max(clock, target)
        for thread in threads where thread.deadline.map({ $0 <= clock }) == true {
            if case .busy = thread.state { freeCores += 1 }
            if case .blocked = thread.state { thread.wake = .timedOut }
            thread.state = .runnable
            runQueue.append(thread)
        }
        while freeCores > 0, !coreQueue.isEmpty {
            let waiting = coreQueue.removeFirst()
            guard case .waitingForCore(let duration) = waiting.state else { continue }
            record(.waitEnded(thread: waiting.name, reason: .other("a free core"), timedOut: false))
            freeCores -= 1
            waiting.state = .busy(until: clock &+ duration)
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
        record(.deadlock(report))
        for thread in stuck {
            thread.state = .runnable
            thread.wake = .deadlocked(report)
            runQueue.append(thread)
        }
        return true
    }
}
