import FuturesCore
import FuturesTrace
import FuturesTraceSchema

/// Python's `threading.Semaphore` (and, with `bounded`, `BoundedSemaphore`):
/// a counter that `acquire` waits on while it is zero.
public final class Semaphore: @unchecked Sendable {
    // @unchecked: `value` and `waiters` change only under `state`.
    public let name: String
    public let bound: Int?
    private let state = SpinLock()
    private var value: Int
    private var waiters = WaitList()

    /// `value < 0` raises `ValueError('semaphore initial value must be >= 0')`.
    public init(_ value: Int = 1, bounded: Bool = false, name: String = "semaphore") throws {
        guard value >= 0 else { throw ValueError("semaphore initial value must be >= 0") }
        self.value = value
        self.bound = bounded ? value : nil
        self.name = name
    }

    public var currentValue: Int { state.withLock { value } }

    @discardableResult
    public func acquire(blocking: Bool = true, timeout: Duration? = nil) throws -> Bool {
        let context = ThreadContext.current
        let (taken, waiter): (Bool, WaitList.Waiter?) = state.withLock {
            if value > 0, waiters.isEmpty {
                value -= 1
                traceChange("acquire", context: context)
                return (true, nil)
            }
            return (false, blocking ? waiters.enqueue(context) : nil)
        }
        if taken { return true }
        guard let waiter else { return false }
        let granted = try block(waiter, lock: state, deadline: deadline(timeout),
                                reason: .primitive(kind: .semaphore, name: name, waitsFor: "release()"), context: context) { waiters.remove(waiter) }
        if granted { state.withLock { traceChange("acquire", context: context) } }
        return granted
    }

    /// An acquire or a release, with the counter after it (called under
    /// `state`, so counters are recorded in the order they change).
    private func traceChange(_ action: String, context: ThreadContext) {
        context.detailTrace?.record(.object(name, kind: bound == nil ? "semaphore" : "bounded_semaphore", action: action, value: value))
    }

    /// Adds `n`, letting waiters through first come first served. A bounded
    /// semaphore released above its initial value raises
    /// `ValueError('Semaphore released too many times')`.
    public func release(_ n: Int = 1) throws {
        let woken: [WaitList.Waiter] = try state.withLock {
            if let bound, value + n > bound { throw ValueError("Semaphore released too many times") }
            var granted: [WaitList.Waiter] = []
            for _ in 0..<n {
                if let waiter = waiters.grantFirst() { granted.append(waiter) } else { value += 1 }
            }
            traceChange("release", context: ThreadContext.current)
            return granted
        }
        for waiter in woken { waiter.parker.unpark() }
    }
}
