import FuturesTrace
import Synchronization

/// The type-erased face of every future: its state, `cancel()`, callbacks and
/// waiting, independent of the value type. `wait` and `asCompleted` take any mix
/// of `Future<Int>`, `Future<String>`, … from any executors as `[AnyFuture]`.
///
/// Threading rule: all mutable state is written under `lock`, a spin lock held
/// for a few dozen instructions, and read under it too — except the state
/// word, which is atomic so that `isDone`, `wait` and `asCompleted` can look at
/// a future without locking it (`wait` over 200,000 finished futures spent
/// half its time taking locks). Observers are told under the lock (so
/// a waiter that removes itself sees a consistent split, as in CPython); parked
/// threads are woken and callbacks run after it is released.
///
/// Identity: two futures are equal only if they are the same object, so sets of
/// futures drop duplicates as Python's do.
// @unchecked: every stored `var` here and in `Future<T>` is accessed only
// while `lock` is held; `stateWord` is atomic (written only under `lock`);
// `id` is immutable.
public class AnyFuture: Hashable, CustomStringConvertible, OutcomeSource, @unchecked Sendable {
    let lock = SpinLock()
    /// `FutureState.rawValue`, plus `failedBit` once finished with an error.
    let stateWord = Atomic<UInt8>(FutureState.pending.rawValue)
    var extras: FutureExtras?

    static let failedBit: UInt8 = 0x80

    /// The state; set only under `lock`.
    var state: FutureState {
        get { FutureState(rawValue: stateWord.load(ordering: .relaxed) & ~Self.failedBit)! }
        set { stateWord.store(newValue.rawValue, ordering: .releasing) }
    }

    /// The trace id (1, 2, 3, … per traced runtime), or 0 for an untraced future.
    public let id: UInt64

    init(id: UInt64) {
        self.id = id
    }

    // MARK: - Queries

    /// The current state (a snapshot: it may change at once).
    public var currentState: FutureState {
        FutureState(rawValue: stateWord.load(ordering: .acquiring) & ~Self.failedBit)!
    }

    /// True in both cancelled states.
    public var isCancelled: Bool {
        let state = currentState
        return state == .cancelled || state == .cancelledAndNotified
    }

    /// True only while a worker runs the call.
    public var isRunning: Bool { currentState == .running }

    /// True once finished or cancelled.
    public var isDone: Bool { currentState.isResolved }

    // MARK: - Cancel

    /// Cancels a pending future. Returns false if it is running or finished,
    /// true if it is (or already was) cancelled. A successful first cancel wakes
    /// `result()` waiters and runs the done callbacks; `wait` and `asCompleted`
    /// see the future as done only once a worker notifies the cancellation.
    @discardableResult
    public func cancel() -> Bool {
        // RUNNING and FINISHED never go back to PENDING, and the cancelled
        // states never leave cancelled: only PENDING needs the lock.
        switch currentState {
        case .running, .finished: return false
        case .cancelled, .cancelledAndNotified: return true
        case .pending: break
        }
        lock.lock()
        switch state {
        case .running, .finished:
            lock.unlock()
            return false
        case .cancelled, .cancelledAndNotified:
            lock.unlock()
            return true
        case .pending:
            state = .cancelled
            if id != 0 { ThreadContext.current.runtime.record(.cancelled(future: id)) }
            let waiters = extras?.resultWaiters ?? []
            let callbacks = extras?.callbacks ?? []
            extras?.resultWaiters = []
            extras?.callbacks = []
            lock.unlock()
            for parker in waiters { parker.unpark() }
            invokeCallbacks(callbacks)
            return true
        }
    }

    // MARK: - Callbacks

    /// Adds a callback that runs with the future once it finishes or is
    /// cancelled, in the order added, on the thread that completes the future.
    /// On a future that is already done it runs at once, on the caller's thread.
    /// A callback that throws is logged ("exception calling callback for
    /// <Future …>") and the others still run.
    public func addDoneCallback(_ callback: @escaping @Sendable (AnyFuture) throws -> Void) {
        lock.lock()
        if !state.isResolved {
            extrasLocked().callbacks.append(callback)
            lock.unlock()
            return
        }
        lock.unlock()
        invokeCallbacks([callback])
    }

    // MARK: - For executors

    /// CPython's `set_running_or_notify_cancel`: a worker calls it just before it
    /// runs the call. PENDING → RUNNING returns true; CANCELLED →
    /// CANCELLED_AND_NOTIFIED tells the `wait`/`asCompleted` waiters and returns
    /// false. Any other state is a misuse by the executor and throws
    /// `RuntimeError("Future in unexpected state")`.
    ///
    /// `recordStart: false` is for executors whose calls run elsewhere (a
    /// worker process): they report the start when the worker does.
    package func setRunningOrNotifyCancel(recordStart: Bool = true) throws -> Bool {
        lock.lock()
        switch state {
        case .pending:
            state = .running
            if id != 0, recordStart { recordStarted() }
            lock.unlock()
            return true
        case .cancelled:
            let droppedTask = settleCancelledLocked()
            withExtendedLifetime(droppedTask) { lock.unlock() }
            return false
        case .running, .cancelledAndNotified, .finished:
            let state = self.state
            lock.unlock()
            logCritical("Future \(addressString) in unexpected state: \(state.pythonName)")
            throw RuntimeError("Future in unexpected state")
        }
    }

    /// Fails a future that an executor gives up on (a broken pool drains its
    /// queue): a pending one gets `error`; a cancelled one is notified, so that
    /// `wait` and `asCompleted` never wait on it for ever. Returns false if the
    /// future had already moved on (running or finished).
    @discardableResult
    package func abandon(with error: any Error) -> Bool {
        lock.lock()
        switch state {
        case .pending:
            lock.unlock()
            return (try? setException(error)) != nil
        case .cancelled:
            let droppedTask = settleCancelledLocked()
            withExtendedLifetime(droppedTask) { lock.unlock() }
            return true
        case .running, .cancelledAndNotified, .finished:
            lock.unlock()
            return false
        }
    }

    /// CANCELLED → CANCELLED_AND_NOTIFIED, under the lock. Returns the dropped
    /// task, to be released after the lock (its captures may run any deinit).
    func settleCancelledLocked() -> Any? {
        state = .cancelledAndNotified
        let droppedTask = takeTaskLocked()
        if id != 0 { ThreadContext.current.runtime.record(.cancelNotified(future: id)) }
        if let observers = extras?.observers {
            extras?.observers = []
            for observer in observers {
                observer.futureDidSettle(self, failed: false, cancelled: true)
            }
        }
        return droppedTask
    }

    /// Takes the lock if the future may still be completed (PENDING or
    /// RUNNING); otherwise throws `InvalidStateError("FINISHED: <repr>")`
    /// without holding it.
    func lockForCompletion() throws {
        lock.lock()
        guard state == .pending || state == .running else {
            let message = "\(state.pythonName): \(describeLocked())"
            lock.unlock()
            throw InvalidStateError(message)
        }
    }

    /// Sets an error on a pending or running future (CPython's `set_exception`).
    /// Throws `InvalidStateError` if the future is already finished or cancelled.
    package func setException(_ error: any Error) throws {
        try setException(error, lane: nil)
    }

    /// `setException`, recorded on `lane` (the worker's own, or nil to find
    /// the calling thread's sink).
    func setException(_ error: any Error, lane: Unmanaged<TraceLane>?) throws {
        try lockForCompletion()
        storeErrorLocked(error)
        finishLocked(failed: true, lane: lane)
    }

    /// The submitted call of an executor's future: runs it and stores the
    /// outcome. `beforeCompleting` runs once the call has returned (or once the
    /// item turned out cancelled), before waiters can see the result, so the
    /// executor can count the worker free before anybody reacts. A pool's
    /// worker passes its trace `lane` (see `TraceSink.lane()`): the start and
    /// the end are recorded on it directly.
    package func runTask(lane: Unmanaged<TraceLane>? = nil, beforeCompleting: () -> Void) {
        assertionFailure("runTask on a future that has no task")
        beforeCompleting()
    }

    // MARK: - Hooks for Future<T>

    func storeErrorLocked(_ error: any Error) {}
    func takeTaskLocked() -> Any? { nil }
    func outcomeDescriptionLocked() -> String { "" }
    /// The value type is `Void` (traced without keeping the future alive).
    var returnsVoid: Bool { false }

    // MARK: - Completion

    /// Moves to FINISHED (the outcome is already stored), tells the observers,
    /// releases the lock, wakes `result()` waiters and runs the callbacks.
    func finishLocked(failed: Bool, lane: Unmanaged<TraceLane>? = nil) {
        stateWord.store(FutureState.finished.rawValue | (failed ? Self.failedBit : 0), ordering: .releasing)
        if id != 0, let lane {
            if !failed && returnsVoid {
                lane._withUnsafeGuaranteedRef { $0.returnedVoid(future: id) }
            } else {
                lane._withUnsafeGuaranteedRef { $0.finished(future: id, failed: failed, outcome: self) }
            }
        } else if id != 0 {
            // After the state word says FINISHED, so a sink may describe the
            // outcome at once (`describeOutcome` then needs no lock).
            let id = self.id
            let void = !failed && returnsVoid
            ThreadContext.withCurrent { context in
                guard let trace = context.trace else { return }
                if void {
                    trace.recordReturnedVoid(future: id)
                } else {
                    trace.recordFinished(future: id, failed: failed, outcome: self)
                }
            }
        }
        guard let extras else {
            lock.unlock()
            return
        }
        self.extras = nil
        for observer in extras.observers {
            observer.futureDidSettle(self, failed: failed, cancelled: false)
        }
        lock.unlock()
        for parker in extras.resultWaiters { parker.unpark() }
        invokeCallbacks(extras.callbacks)
    }

    func extrasLocked() -> FutureExtras {
        if let extras { return extras }
        let created = FutureExtras()
        extras = created
        return created
    }

    /// Reports that the calling worker started this (traced) future.
    func recordStarted() {
        let id = self.id
        ThreadContext.withCurrent { context in
            context.trace?.recordStarted(future: id, worker: context.name)
        }
    }

    // MARK: - Outcome for traces

    /// The value or error in words and its type's name, for trace lines
    /// (described when the trace is written, not when the event is recorded).
    public func describeOutcome() -> (description: String, type: String) {
        // Finished is final: the outcome can be read without the lock (the
        // same invariant as `result()`'s fast path), even from a sink called
        // while this future's lock is held.
        guard currentState == .finished else { return ("", "") }
        return finishedOutcomeText()
    }

    /// The outcome in words; only called once the state word said FINISHED.
    func finishedOutcomeText() -> (description: String, type: String) { ("", "") }

    // MARK: - Hashable, description

    public static func == (lhs: AnyFuture, rhs: AnyFuture) -> Bool { lhs === rhs }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(self))
    }

    /// Like CPython's repr: `<Future at 0x7f… state=finished returned Int>`.
    public var description: String {
        lock.withLock { describeLocked() }
    }

    func describeLocked() -> String {
        let outcome = state == .finished ? " " + outcomeDescriptionLocked() : ""
        return "<Future at \(addressString) state=\(state)\(outcome)>"
    }

    var addressString: String {
        // The object's address, as CPython's `id()` (not its seeded hash).
        "0x" + String(UInt(bitPattern: ObjectIdentifier(self)), radix: 16)
    }

    static func typeName(of value: Any) -> String {
        if let named = value as? any TraceTypeNamed { return named.traceTypeName }
        if value is Void { return "NoneType" }  // Python's type of None
        return String(describing: type(of: value))
    }
}
