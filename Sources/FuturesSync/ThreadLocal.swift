import Foundation
import FuturesCore

/// Python's `threading.local` (Cookbook 12.6): a value per thread — per
/// thread of the runtime, so also per simulated thread of a deterministic run.
public final class ThreadLocal<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `values` is only touched under `lock`.
    private let lock = NSLock()
    private var values: [ObjectIdentifier: Value] = [:]

    public init() {}

    /// The calling thread's value (nil until it sets one).
    public var value: Value? {
        get {
            let me = ObjectIdentifier(ThreadContext.current)
            return lock.withLock { values[me] }
        }
        set {
            let me = ObjectIdentifier(ThreadContext.current)
            lock.withLock { values[me] = newValue }
        }
    }
}
