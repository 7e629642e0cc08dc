import FuturesTrace

/// A future of a value of type `T`: CPython's `concurrent.futures.Future`.
///
/// An executor's future also carries its submitted call until a worker starts
/// it (then drops it, so the executor keeps no reference to the task once it
/// runs). One object per task, no separate work item: the pending-future budget
/// is 128 bytes, and this layout is 72 for `Future<Void>`.
///
/// Why three fields and not one `enum { task, value, error }`: the worker runs
/// futures through the type-erased `AnyFuture`, i.e. in unspecialised generic
/// code, where every switch over a generic enum (or a `Result<T, Error>`) looks
/// its metadata up in the runtime's global cache. Function types and `any Error`
/// have a fixed layout and need no lookup; that was 17 % of the submit+wait
/// benchmark.
///
/// `result(timeout:)`, `exception(timeout:)`, `cancel()`, `isCancelled`,
/// `isRunning`, `isDone` and `addDoneCallback` behave as in CPython 3.12; see
/// `AnyFuture` for the threading rule.
// @unchecked: `task`, `value` and `error` are written only under the
// inherited `lock`, and read under it too, except `value` and `error` in
// `result()`'s fast path and `finishedOutcomeText()`: read only after an
// acquiring load of the state word saw FINISHED, after which they never change.
public final class Future<T: Sendable>: AnyFuture, @unchecked Sendable {

    /// The submitted call, until a worker takes it.
    var task: (@Sendable () throws -> T)?
    /// The value, once finished by `setResult`.
    var value: T?
    /// The error, once finished by `setException`.
    var error: (any Error)?

    /// A bare future, completed by whoever holds it (`setResult` / `setException`).
    public init() {
        let runtime = ThreadContext.current.runtime
        super.init(id: runtime.trace != nil ? runtime.nextFutureID() : 0)
    }

    /// An executor's future with its call.
    package init(id: UInt64, task: @escaping @Sendable () throws -> T) {
        self.task = task
        super.init(id: id)
    }

    // MARK: - Outcome

    /// The value of the call. Waits up to `timeout` (`nil`: for ever).
    /// Throws `CancelledError` if cancelled, `TimeoutError` if still not done,
    /// or the error the call threw.
    public func result(timeout: Duration? = nil) throws -> T {
        // Finished is final and `value` was written before the state word's
        // releasing store: after an acquiring load that saw FINISHED, it can
        // be read without the lock.
        if currentState == .finished, let value {
            return value
        }
        return try outcome(timeout: timeout) { value, error in
            if let error { throw error }
            return value!
        }
    }

    /// The error the call threw, or nil if it returned. Waits up to `timeout`.
    /// Throws `CancelledError` if cancelled, `TimeoutError` if still not done.
    public func exception(timeout: Duration? = nil) throws -> (any Error)? {
        try outcome(timeout: timeout) { _, error in error }
    }

    /// Waits up to `timeout`, then hands a finished future's outcome to
    /// `read` (under the lock); throws for cancelled or unfinished futures.
    private func outcome<R>(timeout: Duration?, _ read: (T?, (any Error)?) throws -> R) throws -> R {
        _ = try waitUntilResolved(timeout: timeout)
        return try lock.withLock {
            switch state {
            case .cancelled, .cancelledAndNotified: throw CancelledError()
            case .finished: return try read(value, error)
            case .pending, .running: throw TimeoutError()
            }
        }
    }

    /// Adds a callback that receives this future, typed (see `AnyFuture`).
    override public func addDoneCallback(_ callback: @escaping @Sendable (Future<T>) throws -> Void) {
        super.addDoneCallback { (future: AnyFuture) in
            try callback(unsafeDowncast(future, to: Future<T>.self))
        }
    }

    // MARK: - For executors

    /// Sets the value of a pending or running future (CPython's `set_result`).
    /// Throws `InvalidStateError` if it is already finished or cancelled.
    package func setResult(_ value: T) throws {
        try setResult(value, lane: nil)
    }

    /// `setResult`, recorded on `lane` (see `runTask`).
    func setResult(_ value: T, lane: Unmanaged<TraceLane>?) throws {
        try lockForCompletion()
        self.value = value
        finishLocked(failed: false, lane: lane)
    }

    override package func runTask(lane: Unmanaged<TraceLane>? = nil, beforeCompleting: () -> Void) {
        lock.lock()
        guard state == .pending, let call = task else {
            lock.unlock()
            let running = (try? setRunningOrNotifyCancel()) ?? false
            assert(!running, "a future with a task must be pending when it starts")
            beforeCompleting()
            return
        }
        state = .running
        task = nil
        if id != 0 {
            if let lane { lane._withUnsafeGuaranteedRef { $0.started(future: id) } } else { recordStarted() }
        }
        lock.unlock()

        // `consume` ends the only remaining reference to the call before the
        // future completes, so whoever sees the result also sees the call's
        // captures released (CPython's `del work_item`, GH-60488). No generic
        // Optional API here: it would look up metadata on every task.
        let value: T
        do {
            value = try (consume call)()
        } catch {
            beforeCompleting()
            try? setException(error, lane: lane)
            return
        }
        beforeCompleting()
        try? setResult(value, lane: lane)
    }

    // MARK: - Hooks

    override func storeErrorLocked(_ error: any Error) {
        self.error = error
    }

    override func takeTaskLocked() -> Any? {
        defer { task = nil }
        return task
    }

    override var returnsVoid: Bool { T.self == Void.self }

    override func finishedOutcomeText() -> (description: String, type: String) {
        if let error { return (String(describing: error), Self.typeName(of: error)) }
        if let value {
            // A call that returns nothing returned None, as Python says it.
            if value is Void { return TracedOutcome.void.text }
            return (String(describing: value), Self.typeName(of: value))
        }
        return ("", "")
    }

    override func outcomeDescriptionLocked() -> String {
        if let error { return "raised \(Self.typeName(of: error))" }
        if let value { return "returned \(Self.typeName(of: value))" }
        return ""
    }
}
