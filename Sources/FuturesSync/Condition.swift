import FuturesCore
import FuturesTrace
import FuturesTraceSchema

/// Python's `threading.Condition` over a `Lock` (or an `RLock`'s lock):
/// `wait` lets the lock go while it waits and takes it back before it
/// returns; `notify(n)` wakes the n longest waiters.
public final class Condition: @unchecked Sendable {
    // @unchecked: `waiters` changes only under `state`.
    public let lock: Lock
    public let name: String
    private let state = SpinLock()
    private var waiters = WaitList()
    /// Whether notifies show in traces (a queue's own conditions do not: the
    /// queue's puts and gets do).
    private let traced: Bool

    public convenience init(lock: Lock? = nil, name: String = "condition") {
        self.init(lock: lock, name: name, traced: true)
    }

    init(lock: Lock?, name: String, traced: Bool) {
        self.lock = lock ?? Lock(name: name + ".lock")
        self.name = name
        self.traced = traced
    }

    public func acquire() throws { try lock.acquire() }
    public func release() throws { try lock.release() }

    public func withLock<R>(_ body: () throws -> R) throws -> R {
        try lock.withLock(body)
    }

    /// Waits for a notify (up to `timeout`); the caller must hold the lock
    /// (else `RuntimeError('cannot wait on un-acquired lock')`). Returns false
    /// on timeout.
    @discardableResult
    public func wait(timeout: Duration? = nil) throws -> Bool {
        guard lock.heldByCurrentThread else { throw RuntimeError("cannot wait on un-acquired lock") }
        let context = ThreadContext.current
        let waiter = state.withLock { waiters.enqueue(context) }
        try lock.release()
        defer { _ = try? lock.acquire() }
        return try block(waiter, lock: state, deadline: deadline(timeout),
                         reason: .primitive(kind: .condition, name: name, waitsFor: "notify()"), context: context) { waiters.remove(waiter) }
    }

    /// Waits until `predicate` holds (checked with the lock held), up to
    /// `timeout` in all; returns the predicate's last value.
    @discardableResult
    public func waitFor(timeout: Duration? = nil, _ predicate: () throws -> Bool) throws -> Bool {
        let end = deadline(timeout)
        while !(try predicate()) {
            let left = end.map { currentRuntime.now().duration(until: $0) }
            if let left, left <= .zero { return try predicate() }
            try wait(timeout: left)
        }
        return true
    }

    /// Wakes up to `n` waiters; the caller must hold the lock.
    public func notify(_ n: Int = 1) throws {
        guard lock.heldByCurrentThread else { throw RuntimeError("cannot notify on un-acquired lock") }
        let woken: [WaitList.Waiter] = state.withLock {
            var granted: [WaitList.Waiter] = []
            while granted.count < n, let waiter = waiters.grantFirst() { granted.append(waiter) }
            return granted
        }
        if traced { ThreadContext.current.detailTrace?.record(.object(name, kind: "condition", action: "notify", value: woken.count)) }
        for waiter in woken { waiter.parker.unpark() }
    }

    public func notifyAll() throws {
        try notify(Int.max / 2)
    }
}
