import DequeModule
import FuturesCore
import FuturesTraceSchema

/// The waiting threads of a primitive, first come first served, and the one
/// way every primitive blocks: park on the runtime's parker (so the
/// deterministic runtime schedules it and finds its deadlocks), with the
/// wait traced under `reason`.
struct WaitList {
    struct Waiter {
        let id: ObjectIdentifier
        let parker: any Parker
        /// The waiting thread's name (a lock handed to it names its new holder).
        let name: String
        /// Set (under the primitive's lock) when the waiter is let through.
        let granted: Flag
    }

    /// A flag shared by a waiter and whoever lets it through.
    final class Flag: @unchecked Sendable {
        // @unchecked: read and written only under the owning primitive's lock.
        var value = false
    }

    private(set) var waiters = Deque<Waiter>()

    var isEmpty: Bool { waiters.isEmpty }
    var count: Int { waiters.count }

    /// Adds the calling thread (under the primitive's lock).
    mutating func enqueue(_ context: ThreadContext) -> Waiter {
        let waiter = Waiter(id: ObjectIdentifier(context), parker: context.parker, name: context.name, granted: Flag())
        waiters.append(waiter)
        return waiter
    }

    /// Lets the first waiter through (under the lock); unpark it after.
    mutating func grantFirst() -> Waiter? {
        guard let first = waiters.popFirst() else { return nil }
        first.granted.value = true
        return first
    }

    /// Lets every waiter through (under the lock); unpark them after.
    mutating func grantAll() -> [Waiter] {
        let all = Array(waiters)
        waiters.removeAll()
        for waiter in all { waiter.granted.value = true }
        return all
    }

    mutating func remove(_ waiter: Waiter) {
        if let index = waiters.firstIndex(where: { $0.granted === waiter.granted }) { waiters.remove(at: index) }
    }
}

/// Blocks the calling thread until `waiter` is granted, the deadline passes,
/// or the runtime releases a deadlock. Returns true if granted. `lock` guards
/// the primitive's state; it is not held on entry or exit. (The parker
/// records the wait in the trace and the wait-for graph.)
func block(_ waiter: WaitList.Waiter, lock: borrowing SpinLock, deadline: RuntimeInstant?, reason: WaitReason,
           context: ThreadContext, onGiveUp: () -> Void) throws -> Bool {
    while true {
        if lock.withLock({ waiter.granted.value }) { return true }
        switch waiter.parker.park(until: deadline, reason: reason) {
        case .unparked:
            continue
        case .timedOut:
            return lock.withLock { () -> Bool in
                if waiter.granted.value { return true }
                onGiveUp()
                return false
            }
        case .deadlocked(let report):
            let granted = lock.withLock { () -> Bool in
                if waiter.granted.value { return true }
                onGiveUp()
                return false
            }
            if granted { return true }
            throw DeadlockError(report: report)
        }
    }
}

/// The time after which a timed wait gives up (nil: never).
func deadline(_ timeout: Duration?) -> RuntimeInstant? {
    timeout.map { currentRuntime.now().advanced(by: max(.zero, $0)) }
}
