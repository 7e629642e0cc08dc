import FuturesCore
import FuturesTrace
import FuturesTraceSchema

/// Python's `threading.Lock`: one owner at a time, handed to waiters first
/// come first served. Waiting for it is part of the deadlock detector's
/// wait-for graph (a thread waits on the lock's holder); holding it shows in
/// the lanes.
public final class Lock: @unchecked Sendable {
    // @unchecked: `owner`, `ownerName` and `waiters` change only under `state`.
    public let name: String
    /// Its rank for `acquire(_:)` (ordered acquisition): creation order.
    let rank: UInt64
    private let state = SpinLock()
    private var owner: ObjectIdentifier?
    private var ownerName = ""
    private var waiters = WaitList()

    /// Whether holding it shows in traces (a queue's internal mutex does not).
    let traced: Bool

    public init(name: String? = nil) {
        rank = lockRanks.next()
        self.name = name ?? "lock-\(rank)"
        self.traced = true
    }

    init(internalName: String) {
        rank = lockRanks.next()
        self.name = internalName
        self.traced = false
    }

    /// Takes the lock; waits for it if `blocking` (up to `timeout`). Returns
    /// whether it was taken. A deadlock involving it throws `DeadlockError`.
    @discardableResult
    public func acquire(blocking: Bool = true, timeout: Duration? = nil) throws -> Bool {
        try acquire(blocking: blocking, timeout: timeout, context: .current)
    }

    /// `acquire` for a caller that has the thread's context at hand (RLock:
    /// one thread-local lookup a step, not three).
    func acquire(blocking: Bool, timeout: Duration?, context: ThreadContext) throws -> Bool {
        let me = ObjectIdentifier(context)
        let (taken, waiter, holder): (Bool, WaitList.Waiter?, String) = state.withLock {
            if owner == nil {
                owner = me
                ownerName = context.name
                return (true, nil, "")
            }
            guard blocking else { return (false, nil, "") }
            return (false, waiters.enqueue(context), ownerName)
        }
        if taken {
            if traced { context.detailTrace?.record(.lockAcquired(name: name)) }
            return true
        }
        guard let waiter else { return false }
        let granted = try block(waiter, lock: state, deadline: deadline(timeout), reason: .lock(name: name, holder: holder),
                                context: context) { waiters.remove(waiter) }
        if granted, traced { context.detailTrace?.record(.lockAcquired(name: name)) }
        return granted
    }

    /// Lets the lock go (to the longest waiter, if any). Releasing a lock that
    /// is not held raises `RuntimeError('release unlocked lock')`.
    public func release() throws {
        try release(context: .current)
    }

    func release(context: ThreadContext) throws {
        let next: WaitList.Waiter? = try state.withLock {
            guard owner != nil else { throw RuntimeError("release unlocked lock") }
            guard let next = waiters.grantFirst() else {
                owner = nil
                return nil
            }
            owner = next.id
            ownerName = next.name
            return next
        }
        if traced { context.detailTrace?.record(.lockReleased(name: name)) }
        next?.parker.unpark()
    }

    public var locked: Bool { state.withLock { owner != nil } }

    /// Runs `body` holding the lock (Python's `with lock:`).
    public func withLock<R>(_ body: () throws -> R) throws -> R {
        try acquire()
        defer { try? release() }
        return try body()
    }

    /// True if the calling thread holds it (for RLock and Condition).
    var heldByCurrentThread: Bool { isHeld(by: .current) }

    func isHeld(by context: ThreadContext) -> Bool {
        let me = ObjectIdentifier(context)
        return state.withLock { owner == me }
    }
}

let lockRanks = Counter(startingAt: 1)
