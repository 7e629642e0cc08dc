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
/// The project keeps two thread-local slots: the thread's `ThreadContext` and
/// the trace recorder's buffer cache. A fiber must see its own, as an OS thread
/// would, so every switch saves the running fiber's values and installs the
/// next one's; an ended fiber's values are released when it is reaped, as the
/// keys' destructors do for an ended OS thread.
///
/// Used only on the host thread of its run (the only OS thread that ever runs
/// these fibers), so its `var`s need no lock.
final class Fiber: @unchecked Sendable {
    // @unchecked: see above — one host OS thread touches a run's fibers.
    let pointer: OpaquePointer
    private var context: UnsafeMutableRawPointer?
    private var traceCache: UnsafeMutableRawPointer?

    /// The calling OS thread's own stack.
    static func host() -> Fiber {
        Fiber(pointer: fl_fiber_create_host())
    }

    /// A new stack that calls `entry(argument)` when first switched to; nil if
    /// no stack could be mapped.
    static func make(entry: @convention(c) (UnsafeMutableRawPointer?) -> Void, argument: UnsafeMutableRawPointer) -> Fiber? {
        // 8 MiB, like a default pthread stack: debug builds of Swift use deep
        // frames. Reserved, not committed: only touched pages cost memory.
        guard let pointer = fl_fiber_create(8 << 20, entry, argument) else { return nil }
        return Fiber(pointer: pointer)
    }

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        for raw in [context, traceCache] {
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
        context = pthread_getspecific(threadContextKey)
        traceCache = pthread_getspecific(TraceRecorder.threadLocalKey)
        pthread_setspecific(threadContextKey, next.context)
        pthread_setspecific(TraceRecorder.threadLocalKey, next.traceCache)
        next.context = nil
        next.traceCache = nil
    }
}
