import FuturesCore
import FuturesTrace

/// Python's `threading.RLock`: the owning thread may take it again; it is
/// let go when released as many times as taken.
public final class RLock: @unchecked Sendable {
    // @unchecked: `depth` is only touched by the thread that holds `lock`.
    public let lock: Lock
    private var depth = 0

    public init(name: String? = nil) {
        lock = Lock(name: name)
    }

    public var name: String { lock.name }

    @discardableResult
    public func acquire(blocking: Bool = true, timeout: Duration? = nil) throws -> Bool {
        let context = ThreadContext.current
        if lock.isHeld(by: context) {
            depth += 1
            traceDepth("acquire", context)
            return true
        }
        guard try lock.acquire(blocking: blocking, timeout: timeout, context: context) else { return false }
        depth = 1
        traceDepth("acquire", context)
        return true
    }

    /// Raises `RuntimeError('cannot release un-acquired lock')` when the
    /// calling thread does not hold it.
    public func release() throws {
        let context = ThreadContext.current
        guard lock.isHeld(by: context) else { throw RuntimeError("cannot release un-acquired lock") }
        depth -= 1
        traceDepth("release", context)
        if depth == 0 { try lock.release(context: context) }
    }

    /// The hold count after an acquire or a release (the lock's own events
    /// say who holds it).
    private func traceDepth(_ action: String, _ context: ThreadContext) {
        context.detailTrace?.record(.object(name, kind: "rlock", action: action, value: depth))
    }

    public func withLock<R>(_ body: () throws -> R) throws -> R {
        try acquire()
        defer { try? release() }
        return try body()
    }
}
