/// A future of a value of type `T`: CPython's `concurrent.futures.Future`.
///
/// An executor's future also carries its submitted call until a worker starts
/// it (then drops it, so the executor keeps no reference to the task once it
/// runs). One object per task, no separate work item: the pending-future budget
/// is 128 bytes, and this layout is 64 for `Future<Void>`.
///
/// `result(timeout:)`, `exception(timeout:)`, `cancel()`, `isCancelled`,
/// `isRunning`, `isDone` and `addDoneCallback` behave as in CPython 3.12; see
/// `AnyFuture` for the threading rule.
public final class Future<T: Sendable>: AnyFuture, @unchecked Sendable {
    // @unchecked: `slot` is only accessed under the inherited `lock`.

    /// What the future holds: its call before it runs, then its outcome.
    enum Slot {
        case empty
        case task(@Sendable () throws -> T)
        case value(T)
        case error(any Error)
    }

    var slot: Slot

    /// A bare future, completed by whoever holds it (`setResult` / `setException`).
    public init() {
        let runtime = ThreadContext.current.runtime
        slot = .empty
        super.init(id: runtime.trace != nil ? runtime.nextFutureID() : 0)
    }

    /// An executor's future with its call.
    package init(id: UInt64, task: @escaping @Sendable () throws -> T) {
        slot = .task(task)
        super.init(id: id)
    }

    // MARK: - Outcome

    /// The value of the call. Waits up to `timeout` (`nil`: for ever).
    /// Throws `CancelledError` if cancelled, `TimeoutError` if still not done,
    /// or the error the call threw.
    public func result(timeout: Duration? = nil) throws -> T {
        lock.lock()
        if state == .finished, case .value(let value) = slot {
            lock.unlock()
            return value
        }
        lock.unlock()
        _ = waitUntilResolved(timeout: timeout)
        return try lock.withLock {
            switch state {
            case .cancelled, .cancelledAndNotified:
                throw CancelledError()
            case .finished:
                switch slot {
                case .value(let value): return value
                case .error(let error): throw error
                case .empty, .task: preconditionFailure("finished future without an outcome")
                }
            case .pending, .running:
                throw TimeoutError()
            }
        }
    }

    /// The error the call threw, or nil if it returned. Waits up to `timeout`.
    /// Throws `CancelledError` if cancelled, `TimeoutError` if still not done.
    public func exception(timeout: Duration? = nil) throws -> (any Error)? {
        _ = waitUntilResolved(timeout: timeout)
        return try lock.withLock {
            switch state {
            case .cancelled, .cancelledAndNotified:
                throw CancelledError()
            case .finished:
                if case .error(let error) = slot { return error }
                return nil
            case .pending, .running:
                throw TimeoutError()
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
        let traced = id != 0 ? (String(describing: value), Self.typeName(of: value)) : nil
        lock.lock()
        guard state == .pending || state == .running else {
            let message = "\(state.pythonName): \(describeLocked())"
            lock.unlock()
            throw InvalidStateError(message)
        }
        slot = .value(value)
        if let traced {
            ThreadContext.current.runtime.record(.returned(future: id, value: traced.0, type: traced.1))
        }
        finishLocked(failed: false)
    }

    override package func runTask(beforeCompleting: () -> Void) {
        lock.lock()
        guard state == .pending, case .task(let task) = slot else {
            lock.unlock()
            let running = (try? setRunningOrNotifyCancel()) ?? false
            assert(!running, "a future with a task must be pending when it starts")
            beforeCompleting()
            return
        }
        state = .running
        slot = .empty
        if id != 0 {
            let context = ThreadContext.current
            context.runtime.record(.started(future: id, worker: context.name))
        }
        lock.unlock()

        let outcome: Result<T, any Error>
        do {
            outcome = .success(try task())
        } catch {
            outcome = .failure(error)
        }
        beforeCompleting()
        switch outcome {
        case .success(let value): try? setResult(value)
        case .failure(let error): try? setException(error)
        }
    }

    // MARK: - Hooks

    override func storeErrorLocked(_ error: any Error) {
        slot = .error(error)
    }

    override func takeTaskLocked() -> Any? {
        guard case .task(let task) = slot else { return nil }
        slot = .empty
        return task
    }

    override var failedLocked: Bool {
        if state == .finished, case .error = slot { return true }
        return false
    }

    override func outcomeDescriptionLocked() -> String {
        switch slot {
        case .value(let value): "returned \(Self.typeName(of: value))"
        case .error(let error): "raised \(Self.typeName(of: error))"
        case .empty, .task: ""
        }
    }
}
