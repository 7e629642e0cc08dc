import FuturesTraceSchema
import Synchronization

extension AnyFuture {
    /// Blocks until the future is finished or cancelled, or `timeout` passes
    /// (`nil` waits for ever; zero or less only looks). Returns whether it is
    /// resolved. The caller's runtime provides the clock and the parker; if it
    /// releases the wait as part of a deadlock, this throws `DeadlockError`.
    func waitUntilResolved(timeout: Duration?) throws -> Bool {
        lock.lock()
        if state.isResolved {
            lock.unlock()
            return true
        }
        if let timeout, timeout <= .zero {
            lock.unlock()
            return false
        }
        let context = ThreadContext.current
        let parker = context.parker
        extrasLocked().resultWaiters.append(parker)
        lock.unlock()

        let deadline = context.runtime.deadline(after: timeout)
        while true {
            let parked = parker.park(until: deadline, reason: .future(id: id))
            if case .deadlocked(let report) = parked {
                lock.withLock { extras?.resultWaiters.removeAll { $0 === parker } }
                throw DeadlockError(report: report)
            }
            // The clock is read outside the lock (the seam's threading rule).
            let expired = parked == .timedOut || deadline.map { context.runtime.now() >= $0 } == true
            lock.lock()
            if state.isResolved {
                // The completer took the waiter list with it.
                lock.unlock()
                return true
            }
            if expired {
                extras?.resultWaiters.removeAll { $0 === parker }
                lock.unlock()
                return false
            }
            lock.unlock()
        }
    }

    /// Registers `observer` unless the future is already settled; returns the
    /// state seen, so the caller can count a settled future itself. Done under
    /// the lock, so the future is either counted now or notified later, never both.
    func install(_ observer: any FutureObserver) -> (settled: Bool, failed: Bool, cancelled: Bool) {
        lock.lock()
        defer { lock.unlock() }
        let snapshot = settledSnapshot()
        if snapshot.settled {
            return (true, snapshot.failed, state == .cancelledAndNotified)
        }
        extrasLocked().observers.append(observer)
        return (false, false, false)
    }

    /// Removes `observer` if it is still registered (CPython's `_waiters.remove`).
    func uninstall(_ observer: any FutureObserver) {
        lock.lock()
        extras?.observers.removeAll { $0 === observer }
        lock.unlock()
    }

    /// How many `wait` / `asCompleted` waiters are registered (for tests and reports).
    var observerCount: Int {
        lock.withLock { extras?.observers.count ?? 0 }
    }

    /// Settled (finished or cancel-notified), and whether it failed: one
    /// atomic look, no lock.
    func settledSnapshot() -> (settled: Bool, failed: Bool) {
        let word = stateWord.load(ordering: .acquiring)
        let state = FutureState(rawValue: word & ~Self.failedBit)!
        return (state.isSettled, word & Self.failedBit != 0)
    }
}
