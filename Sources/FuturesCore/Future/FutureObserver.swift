/// Something that watches several futures at once: the waiter behind `wait`
/// and `asCompleted` (CPython's `_Waiter` classes).
///
/// Called with the future's lock held, exactly once per future, when the future
/// finishes (`failed` tells a result from an error) or when a worker notifies a
/// cancellation. Implementations take only their own lock and may `unpark`.
package protocol FutureObserver: AnyObject, Sendable {
    func futureDidSettle(_ future: AnyFuture, failed: Bool, cancelled: Bool)
}

/// Side storage of a future, allocated on first use: most futures are never
/// waited on and have no callbacks, and the pending-future budget is 128 bytes.
final class FutureExtras {
    /// Threads blocked in `result()` / `exception()`: woken by finish or cancel.
    var resultWaiters: [any Parker] = []
    /// `wait` / `asCompleted` waiters: told on finish or cancel-notified.
    var observers: [any FutureObserver] = []
    /// Done callbacks, in the order added.
    var callbacks: [@Sendable (AnyFuture) throws -> Void] = []
}
