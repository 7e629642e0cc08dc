#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `pthread_mutex_t` at a stable, separately allocated address: the lock of a
/// pool's shared state, which three or more threads contend for.
///
/// Why pthread: under contention it sleeps in the kernel instead of spinning, and
/// TSan understands it. Adaptive where glibc offers it: a short spin first, since
/// the critical sections are a handful of pointer moves.
// @unchecked: the pointer is created in init, freed in deinit, and only ever
// passed to pthread_mutex_* calls, which are thread-safe by contract.
public struct OSMutex: ~Copyable, @unchecked Sendable {
    private let raw: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        raw = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        #if os(Linux)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        #endif
        pthread_mutex_init(raw, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(raw)
        raw.deallocate()
    }

    @inline(__always)
    public func lock() { pthread_mutex_lock(raw) }

    @inline(__always)
    public func unlock() { pthread_mutex_unlock(raw) }

    @inline(__always)
    public func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}
