import FuturesCore
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
                return (true, nil)
            }
            return (false, blocking ? waiters.enqueue(context) : nil)
        }
        if taken { return true }
        guard let waiter else { return false }
        return try block(waiter, lock: state, deadline: deadline(timeout),
                         reason: .primitive(kind: .semaphore, name: name, waitsFor: "release()"), context: context) { waiters.remove(waiter) }
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
            return granted
        }
        for waiter in woken { waiter.parker.unpark() }
    }
}
