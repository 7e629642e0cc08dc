import FuturesCore

/// Python's `threading.local` (Cookbook 12.6): a value per thread — per
/// thread of the runtime, so also per simulated thread of a deterministic
/// run. Stored in the thread's own context, so it ends with the thread.
public final class ThreadLocal<Value: Sendable>: Sendable {
    private let key = threadLocalKeys.next()

    public init() {}

    /// The calling thread's value (nil until it sets one).
    public var value: Value? {
        get { ThreadContext.current.locals[key] as? Value }
        set { ThreadContext.current.locals[key] = newValue }
    }
}

private let threadLocalKeys = Counter(startingAt: 1)
