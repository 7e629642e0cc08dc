import FuturesTraceSchema
/// A one-shot gate: closed until `open()`, then open for ever. Threads that
/// `wait()` block through their runtime's parker. Used for thread joins.
// @unchecked: `opened` and `waiters` are only read or written while `lock` is held.
public final class Latch: @unchecked Sendable {
    private let lock = SpinLock()
    private var opened = false
    private var waiters: [any Parker] = []
    private let reason: WaitReason

    public init(reason: WaitReason) {
        self.reason = reason
    }

    /// Whether `open()` has been called.
    public var isOpen: Bool { lock.withLock { opened } }

    /// Opens the gate and wakes every waiter. Idempotent.
    public func open() {
        lock.lock()
        opened = true
        let woken = waiters
        waiters = []
        lock.unlock()
        for parker in woken { parker.unpark() }
    }

    /// Blocks until the gate is open, or until the runtime releases this wait
    /// as part of a deadlock (then the gate may still be closed).
    public func wait() {
        wait(parkingOn: ThreadContext.current.parker)
    }

    /// Blocks until the gate is open or `deadline` passes (nil: no
    /// deadline); returns whether it is open. `Thread.join(timeout)`.
    public func wait(until deadline: RuntimeInstant?) -> Bool {
        guard let deadline else {
            wait()
            return isOpen
        }
        let parker = ThreadContext.current.parker
        lock.lock()
        if opened {
            lock.unlock()
            return true
        }
        waiters.append(parker)
        lock.unlock()
        while true {
            switch parker.park(until: deadline, reason: reason) {
            case .unparked:
                if isOpen { return true }
            case .timedOut, .deadlocked:
                lock.withLock { waiters.removeAll { $0 === parker } }
                return isOpen
            }
        }
    }

    /// `wait()` on a given parker (a thread outside the runtime that must not spin).
    func wait(parkingOn parker: any Parker) {
        lock.lock()
        if opened {
            lock.unlock()
            return
        }
        waiters.append(parker)
        lock.unlock()
        while true {
            if case .deadlocked = parker.park(until: nil, reason: reason) {
                lock.withLock { waiters.removeAll { $0 === parker } }
                return
            }
            if isOpen { return }
        }
    }
}
