import CFuturesShim
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A 4-byte lock for the tiny critical sections of futures and waiters.
///
/// Why not `Synchronization.Mutex`: a future holds one, and `Mutex` cannot be
/// shared by the generic subclass's stored properties; and TSan here has reported
/// `Mutex` in standalone programs (see shared/reference). Why not a futex: the
/// word would need a stable address, which a Swift stored property does not
/// promise. Critical sections are a few dozen instructions and never call into
/// the runtime seam (but for `unpark`), so spinning, then yielding, is enough.
public struct SpinLock: ~Copyable, Sendable {
    @usableFromInline let word = Atomic<UInt32>(0)

    public init() {}

    @inlinable @inline(__always)
    public func lock() {
        if !tryLock() { lockSlow() }
    }

    @inlinable @inline(__always)
    public func tryLock() -> Bool {
        word.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged
    }

    @inlinable @inline(__always)
    public func unlock() {
        word.store(0, ordering: .releasing)
    }

    @usableFromInline
    func lockSlow() {
        var attempts = 0
        while true {
            if word.load(ordering: .relaxed) == 0, tryLock() { return }
            attempts += 1
            if attempts < 100 {
                fl_cpu_relax()
            } else {
                sched_yield()
            }
        }
    }

    @inlinable @inline(__always)
    public func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}
