import FuturesTrace
import FuturesTraceSchema
import Logging
import Synchronization

/// The shared state of a `ThreadPoolExecutor`: its queue, its workers and their
/// accounting. Workers hold this object, never the executor.
///
/// Threading rule: the `var`s below are read and written only under `mutex`,
/// but for the worker side of `queue` (see `WorkQueue`); lock order is
/// `queue.takeLock`, then `mutex`. Each worker's `isRunning` flag is atomic
/// and lives in its own slot, so a worker counts itself busy or free without a
/// lock and without sharing a cache line with the other workers. Nothing here
/// calls into the runtime seam while holding a lock, except `unpark` and trace
/// records.
///
/// Free-worker accounting (what makes thread counts exact, not racy):
/// `workers - running - idle.count` workers are awake and not running a call
/// (`running` = the slots whose `isRunning` is set);
/// they will look at the queue before they sleep. `submit` wakes an idle worker or
/// starts a thread only when the queue is longer than that. A worker that takes
/// an item counts itself running before the queue count drops, so the counts
/// err towards one thread too many in a race, never one too few. A worker counts
/// itself free (clears `isRunning`) *before* it completes the future, so a
/// caller that saw the result and submits again finds it free.
// @unchecked: mutable state is guarded by `mutex` (see the threading rule);
// the `let`s are immutable or thread-safe.
final class ThreadPoolCore: @unchecked Sendable {
    let runtime: any Runtime
    private let maxWorkers: Int
    private let namePrefix: String
    private let initializer: (@Sendable () throws -> Void)?
    private let trace: (any TraceSink)?

    private let mutex = OSMutex()
    private let queue = WorkQueue()
    private var idle: [WorkerSlot] = []
    private var slots: [WorkerSlot] = []
    private var workers = 0
    private var isShutdown = false
    private var broken: String?
    /// Workers spinning for work right now: at most one (see `workerMain`).
    private let spinners = Atomic<Int>(0)
    /// How long a worker that found no work spins before it parks as idle.
    /// 20 µs: long enough to bridge the gaps of a busy submitter, short enough
    /// that a pool with nothing to do goes to sleep at once (one spinner at a time).
    private let idleSpin: Duration = .microseconds(20)

    /// Names the n-th worker (from 0); nil: `<prefix>_<n>`.
    private let workerName: (@Sendable (Int) -> String)?

    init(maxWorkers: Int, namePrefix: String, workerName: (@Sendable (Int) -> String)? = nil,
         initializer: (@Sendable () throws -> Void)?, runtime: any Runtime) {
        self.maxWorkers = maxWorkers
        self.namePrefix = namePrefix
        self.workerName = workerName
        self.initializer = initializer
        self.runtime = runtime
        self.trace = runtime.trace
    }

    /// One worker thread as the pool sees it.
    // @unchecked: `thread` and `parker` are written once under the pool's
    // mutex before any other thread reads them under it; `isIdle` is atomic.
    final class WorkerSlot: @unchecked Sendable {
        let name: String
        var thread: (any RuntimeThread)?
        var parker: (any Parker)?
        let isIdle = Atomic<Bool>(false)
        /// Set from taking an item until just before its future completes.
        let isRunning = Atomic<Bool>(false)
        /// Keeps the flags of two workers off one cache line.
        private let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

        init(name: String) {
            self.name = name
        }
    }

    // MARK: - Submit

    func submit<T: Sendable>(label: String?, _ call: @escaping @Sendable () throws -> T) throws -> Future<T> {
        let future = Future<T>(id: trace != nil ? runtime.nextFutureID() : 0, task: call)
        mutex.lock()
        if let broken {
            mutex.unlock()
            throw BrokenThreadPool(broken)
        }
        if isShutdown {
            mutex.unlock()
            throw RuntimeError.cannotScheduleAfterShutdown
        }
        if let trace {
            trace.recordSubmitted(future: future.id, executor: namePrefix, label: label)
        }
        queue.append(future)
        var wake: (any Parker)?
        var spawn: WorkerSlot?
        // With every worker started and none idle there is nothing to decide:
        // the common case under load skips reading the workers' flags.
        if !idle.isEmpty || slots.count < maxWorkers,
           queue.count > freeAwakeLocked() {
            if let slot = idle.popLast() {
                slot.isIdle.store(false, ordering: .releasing)
                wake = slot.parker
            } else if slots.count < maxWorkers {
                let slot = WorkerSlot(name: nameOfWorker(slots.count))
                slots.append(slot)
                workers += 1
                spawn = slot
            }
        }
        mutex.unlock()
        wake?.unpark()
        if let spawn { try start(spawn) }
        return future
    }

    private func nameOfWorker(_ index: Int) -> String {
        workerName?(index) ?? "\(namePrefix)_\(index)"
    }

    /// Starts every worker now, as `multiprocessing.pool` does when a pool
    /// is made (a `ThreadPoolExecutor` starts them as work comes).
    func startAllWorkers() throws {
        let new: [WorkerSlot] = mutex.withLock {
            var new: [WorkerSlot] = []
            while slots.count < maxWorkers {
                let slot = WorkerSlot(name: nameOfWorker(slots.count))
                slots.append(slot)
                workers += 1
                new.append(slot)
            }
            return new
        }
        for slot in new { try start(slot) }
    }

    private func start(_ slot: WorkerSlot) throws {
        do {
            let thread = try runtime.startThread(named: slot.name) { [self] in
                workerMain(slot)
            }
            mutex.withLock { slot.thread = thread }
        } catch {
            mutex.withLock {
                workers -= 1
                slots.removeAll { $0 === slot }
            }
            throw error
        }
    }

    // MARK: - Worker

    private func workerMain(_ slot: WorkerSlot) {
        let context = ThreadContext.current
        mutex.withLock { slot.parker = context.parker }
        runtime.record(.workerStarted(worker: slot.name, executor: namePrefix))
        defer { runtime.record(.workerExited(worker: slot.name, executor: namePrefix)) }
        if let initializer {
            do {
                try initializer()
            } catch {
                initializerFailed(error)
                return
            }
        }
        let reason = WaitReason.work(executor: namePrefix)
        // The worker's own trace lane: its tasks' starts and ends are
        // recorded there directly (no lookup per event), lent unretained
        // (this frame keeps it).
        let lane = trace?.lane()
        let lent = lane.map { Unmanaged.passUnretained($0) }
        defer { withExtendedLifetime(lane) {} }
        while true {
            if let item = takeItem(for: slot) {
                item.runTask(lane: lent, beforeCompleting: { slot.isRunning.store(false, ordering: .releasing) })
                continue
            }
            // Still counted free-and-awake, so submit neither wakes nor spawns.
            // One spinner at a time: on two cores, two spinning workers leave
            // the submitting thread a third of a core (Go's scheduler has the
            // same rule).
            if spinners.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
                let found = runtime.spin(upTo: idleSpin) { queue.count > 0 }
                spinners.store(0, ordering: .releasing)
                if found { continue }
            }
            mutex.lock()
            if queue.count > 0 {
                mutex.unlock()
                continue
            }
            if isShutdown || broken != nil {
                workers -= 1
                mutex.unlock()
                return
            }
            slot.isIdle.store(true, ordering: .relaxed)
            idle.append(slot)
            mutex.unlock()
            repeat {
                _ = context.parker.park(until: nil, reason: reason)
            } while slot.isIdle.load(ordering: .acquiring)
        }
    }

    /// The oldest queued item, with `slot` marked running, or nil if the queue
    /// is empty.
    private func takeItem(for slot: WorkerSlot) -> AnyFuture? {
        queue.takeLock.lock()
        defer { queue.takeLock.unlock() }
        return queue.popFirst(
            withPoolMutex: { body in mutex.withLock(body) },
            beforeCount: { slot.isRunning.store(true, ordering: .releasing) })
    }

    /// Workers awake and not running a call: they will look at the queue
    /// before they sleep. Caller holds `mutex`.
    private func freeAwakeLocked() -> Int {
        var running = 0
        for slot in slots where slot.isRunning.load(ordering: .acquiring) { running += 1 }
        return workers - running - idle.count
    }

    private func initializerFailed(_ error: any Error) {
        let message = BrokenThreadPool.initializerFailed.message
        let log = "Exception in initializer: \(AnyFuture.typeName(of: error)): \(error)"
        futuresLogger.critical("\(log)")
        runtime.record(.log(level: "critical", message: log))
        queue.takeLock.lock()
        mutex.lock()
        broken = message
        workers -= 1
        let drained = queue.drainAll()
        let sleepers = takeIdleLocked()
        mutex.unlock()
        queue.takeLock.unlock()
        runtime.record(.broken(executor: namePrefix, reason: message))
        for future in drained { future.abandon(with: BrokenThreadPool(message)) }
        for parker in sleepers { parker.unpark() }
    }

    // MARK: - Shutdown

    func shutdown(wait: Bool, cancelFutures: Bool) {
        runtime.record(.shutdown(executor: namePrefix, wait: wait, cancelFutures: cancelFutures))
        queue.takeLock.lock()
        mutex.lock()
        isShutdown = true
        var drained: [AnyFuture] = []
        if cancelFutures {
            drained = queue.drainAll()
        }
        let sleepers = takeIdleLocked()
        let threads = slots.compactMap(\.thread)
        let current = ThreadContext.current.parker
        let ownSlot = slots.first { $0.parker === current }
        mutex.unlock()
        queue.takeLock.unlock()
        for future in drained {
            // CPython leaves these CANCELLED, so `wait` on them never returns;
            // we notify as a worker would (see docs/semantics.md).
            future.cancel()
            future.abandon(with: CancelledError())
        }
        for parker in sleepers { parker.unpark() }
        if wait {
            for thread in threads where thread !== ownSlot?.thread {
                thread.join()
            }
        }
    }

    private func takeIdleLocked() -> [any Parker] {
        let sleepers = idle
        idle.removeAll()
        return sleepers.compactMap { slot in
            slot.isIdle.store(false, ordering: .releasing)
            return slot.parker
        }
    }

    // MARK: - Introspection

    var threadCount: Int { mutex.withLock { slots.count } }
    /// Worker threads that have not exited yet.
    var liveWorkers: Int { mutex.withLock { workers } }
    var threadNames: [String] { mutex.withLock { slots.map(\.name) } }
    var brokenMessage: String? { mutex.withLock { broken } }
}
