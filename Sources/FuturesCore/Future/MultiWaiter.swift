import FuturesTraceSchema
/// The waiter that `wait` and `asCompleted` install on every future they watch
/// (CPython's `_AsCompletedWaiter`, `_FirstCompletedWaiter` and
/// `_AllCompletedWaiter` in one type, told apart by `Mode`).
///
/// Futures tell it when they settle (under their own lock); it collects them and
/// raises its event when the mode's condition holds; the owning thread parks
/// until then. Signals only when somebody can be waiting: one unpark per event.
// @unchecked: every `var` is accessed only while `lock` is held.
final class MultiWaiter: FutureObserver, @unchecked Sendable {

    enum Mode {
        /// Every settled future raises the event.
        case asCompleted
        case firstCompleted
        /// The event rises when `pendingCalls` reaches 0, or at the first
        /// failure when `stopOnException`.
        case allCompleted(stopOnException: Bool)
    }

    private let lock = SpinLock()
    private let mode: Mode
    private var pendingCalls: Int
    private var finished: [AnyFuture] = []
    private var isSet = false
    private var parker: any Parker

    init(mode: Mode, pendingCalls: Int, parker: any Parker) {
        self.mode = mode
        self.pendingCalls = pendingCalls
        self.parker = parker
    }

    func futureDidSettle(_ future: AnyFuture, failed: Bool, cancelled: Bool) {
        lock.lock()
        finished.append(future)
        switch mode {
        case .asCompleted, .firstCompleted:
            isSet = true
        case .allCompleted(let stopOnException):
            if failed && stopOnException {
                isSet = true
            } else {
                pendingCalls -= 1
                if pendingCalls <= 0 { isSet = true }
            }
        }
        let wake = isSet ? parker : nil
        lock.unlock()
        wake?.unpark()
    }

    /// Parks the calling thread until the event is set or the deadline passes.
    /// Returns whether the event is set; throws `DeadlockError` if the runtime
    /// released the wait as part of a deadlock.
    func waitForEvent(until deadline: RuntimeInstant?, reason: WaitReason) throws -> Bool {
        let context = ThreadContext.current
        lock.lock()
        parker = context.parker
        lock.unlock()
        while true {
            if lock.withLock({ isSet }) { return true }
            let parked = context.parker.park(until: deadline, reason: reason)
            if case .deadlocked(let report) = parked { throw DeadlockError(report: report) }
            if parked == .timedOut || deadline.map({ context.runtime.now() >= $0 }) == true {
                return lock.withLock { isSet }
            }
        }
    }

    /// Takes the futures collected so far (in settling order) and clears the event.
    func takeFinished() -> [AnyFuture] {
        lock.lock()
        defer { lock.unlock() }
        let taken = finished
        finished = []
        isSet = false
        return taken
    }
}
