import FuturesTraceSchema
/// Yields futures as they complete: those already done first (in the order
/// given), then the others in the order they settle. Python's
/// `as_completed(fs, timeout)`, as a class because its `next()` throws.
///
/// Lazy: nothing happens — not even the start of the timeout clock — until the
/// first `next()`. Duplicates are yielded once. With a timeout, the futures done
/// in time are yielded and then `next()` throws
/// `TimeoutError("N (of M) futures unfinished")`. It keeps no reference to a
/// future it has yielded, and removes its waiter from every future when it ends
/// (exhausted, timed out, `close()`d or dropped).
public final class AsCompleted<F: AnyFuture> {
    private var input: [F]?
    private let timeout: Duration?
    private var state: Running?

    /// The iteration once started; a class so that popping does not copy.
    private final class Running {
        let total: Int
        let deadline: RuntimeInstant?
        let waiter: MultiWaiter
        /// Settled futures not yet yielded, in reverse yield order (`popLast`).
        var ready: [F]
        /// Futures not yet settled, with the waiter installed, by identity.
        var pending: [ObjectIdentifier: F]

        init(total: Int, deadline: RuntimeInstant?, waiter: MultiWaiter, ready: [F], pending: [ObjectIdentifier: F]) {
            self.total = total
            self.deadline = deadline
            self.waiter = waiter
            self.ready = ready
            self.pending = pending
        }
    }

    public init(_ futures: some Sequence<F>, timeout: Duration? = nil) {
        self.input = Array(futures)
        self.timeout = timeout
    }

    deinit {
        close()
    }

    /// The next completed future, `nil` when all were yielded.
    public func next() throws -> F? {
        if let input {
            self.input = nil
            state = start(input)
        }
        guard let running = state else { return nil }
        while true {
            if let future = running.ready.popLast() {
                return future
            }
            if running.pending.isEmpty {
                state = nil
                return nil
            }
            let context = ThreadContext.current
            if let deadline = running.deadline, context.runtime.now() >= deadline {
                let message = "\(running.pending.count) (of \(running.total)) futures unfinished"
                finish(running)
                throw TimeoutError(message)
            }
            let reason = WaitReason.futures(ids: running.pending.values.map(\.id).sorted(), call: "as_completed")
            do {
                _ = try running.waiter.waitForEvent(until: running.deadline, reason: reason)
            } catch {
                finish(running)
                throw error
            }
            // `ready` is empty here; refill it with what settled, in order.
            let settled = running.waiter.takeFinished().compactMap {
                running.pending.removeValue(forKey: ObjectIdentifier($0))
            }
            running.ready = settled.reversed()
        }
    }

    /// Every remaining future, in completion order (throws on timeout).
    public func collect() throws -> [F] {
        var all: [F] = []
        while let future = try next() { all.append(future) }
        return all
    }

    /// Ends the iteration and removes the waiter from the futures still watched.
    public func close() {
        input = nil
        if let running = state { finish(running) }
    }

    private func finish(_ running: Running) {
        state = nil
        for future in running.pending.values { future.uninstall(running.waiter) }
    }

    private func start(_ futures: [F]) -> Running {
        let context = ThreadContext.current
        let deadline = context.runtime.deadline(after: timeout)
        let unique = uniqued(futures)
        let waiter = MultiWaiter(mode: .asCompleted, pendingCalls: 0, parker: context.parker)
        var ready: [F] = []
        var pending: [ObjectIdentifier: F] = [:]
        for future in unique {
            if future.install(waiter).settled {
                ready.append(future)
            } else {
                pending[ObjectIdentifier(future)] = future
            }
        }
        return Running(total: unique.count, deadline: deadline, waiter: waiter, ready: ready.reversed(), pending: pending)
    }
}

/// `asCompleted(fs, timeout:)`: see `AsCompleted`.
public func asCompleted<F: AnyFuture>(_ futures: some Sequence<F>, timeout: Duration? = nil) -> AsCompleted<F> {
    AsCompleted(futures, timeout: timeout)
}
