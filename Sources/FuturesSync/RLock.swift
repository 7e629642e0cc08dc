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
        if lock.heldByCurrentThread {
            depth += 1
            traceDepth("acquire")
            return true
        }
        guard try lock.acquire(blocking: blocking, timeout: timeout) else { return false }
        depth = 1
        traceDepth("acquire")
        return true
    }

    /// Raises `RuntimeError('cannot release un-acquired lock')` when the
    /// calling thread does not hold it.
    public func release() throws {
        guard lock.heldByCurrentThread else { throw RuntimeError("cannot release un-acquired lock") }
        depth -= 1
        traceDepth("release")
        if depth == 0 { try lock.release() }
    }

    /// The hold count after an acquire or a release (the lock's own events
    /// say who holds it).
    private func traceDepth(_ action: String) {
        ThreadContext.current.detailTrace?.record(.object(name, kind: "rlock", action: action, value: depth))
    }

    public func withLock<R>(_ body: () throws -> R) throws -> R {
        try acquire()
        defer { try? release() }
        return try body()
    }
}
