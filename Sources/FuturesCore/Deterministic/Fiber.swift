import CFuturesShim
import FuturesTrace

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One simulated thread's stack of execution (or the host thread's own), and
/// the thread-local values it owns while switched out.
///
/// Thread-local slots (`keys`): the thread's `ThreadContext`, and those a
/// trace sink declares (`RuntimeAttachedSink.perThreadKeys`: the recorder's
/// buffer cache) — the core's hook, so that it never names a sink's
/// internals. A fiber must see its own values, as an OS thread would, so
/// every switch saves the running fiber's values and installs the next one's;
/// an ended fiber's values (retained objects) are released when it is reaped,
/// as the keys' destructors do for an ended OS thread.
///
/// Used only on the host thread of its run (the only OS thread that ever runs
/// these fibers), so its `var`s need no lock.
final class Fiber: @unchecked Sendable {
    // @unchecked: see above — one host OS thread touches a run's fibers.
    let pointer: OpaquePointer
    /// The slots saved and restored at each switch.
    private let keys: [pthread_key_t]
    /// This fiber's values of `keys` while it is switched out.
    private var values: [UnsafeMutableRawPointer?]

    /// The calling OS thread's own stack.
    static func host(keys: [pthread_key_t]) -> Fiber {
        Fiber(pointer: fl_fiber_create_host(), keys: keys)
    }

    /// A new stack that calls `entry(argument)` when first switched to; nil if
    /// no stack could be mapped.
    static func make(entry: @convention(c) (UnsafeMutableRawPointer?) -> Void, argument: UnsafeMutableRawPointer,
                     keys: [pthread_key_t]) -> Fiber? {
        // 8 MiB, like a default pthread stack: debug builds of Swift use deep
        // frames. Reserved, not committed: only touched pages cost memory.
        guard let pointer = fl_fiber_create(8 << 20, entry, argument) else { return nil }
        return Fiber(pointer: pointer, keys: keys)
    }

    private init(pointer: OpaquePointer, keys: [pthread_key_t]) {
        self.pointer = pointer
        self.keys = keys
        self.values = Array(repeating: nil, count: keys.count)
    }

    deinit {
        for raw in values {
            if let raw { Unmanaged<AnyObject>.fromOpaque(raw).release() }
        }
        fl_fiber_destroy(pointer)
    }

    /// Suspends the calling fiber (`self`) and resumes `next`; returns when
    /// something switches back to `self`.
    func switchTo(_ next: Fiber) {
        handOverLocals(to: next)
        fl_fiber_switch(pointer, next.pointer)
    }

    /// Saves the calling fiber's thread-local values into `self` and installs
    /// `next`'s. Call right before switching from `self` to `next`.
    func handOverLocals(to next: Fiber) {
        for index in keys.indices {
            values[index] = pthread_getspecific(keys[index])
            pthread_setspecific(keys[index], next.values[index])
            next.values[index] = nil
        }
    }
}
