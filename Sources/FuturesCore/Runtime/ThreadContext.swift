import CFuturesShim
import FuturesTrace

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who the calling thread is: its name, the runtime it belongs to, and its parker.
///
/// Threads started by a runtime get their context at birth. Any other thread (the
/// main thread, a test's thread) gets a native one on first use, named
/// "MainThread" or "Thread-N" as Python names them.
public final class ThreadContext: Sendable {
    public let name: String
    public let runtime: any Runtime
    public let parker: any Parker
    /// `runtime.trace`, kept here: the hot paths that record read it without
    /// a call through the `Runtime` existential (which returns it retained).
    public let trace: (any TraceSink)?
    /// `trace` if it keeps every event, else nil: where the events only a
    /// trace reads go (a lock taken, a queue's depth, the GIL). Nil in a
    /// lean run, so those events are not made at all.
    public let detailTrace: (any TraceSink)?
    /// Values that belong to this thread alone (`threading.local`): they
    /// live and die with the context, so a later thread never sees them.
    public let locals = ContextLocals()

    public init(name: String, runtime: any Runtime, parker: any Parker) {
        self.name = name
        self.runtime = runtime
        self.parker = parker
        self.trace = runtime.trace
        self.detailTrace = trace?.keepsEveryEvent == true ? trace : nil
    }

    /// The calling thread's context.
    public static var current: ThreadContext {
        if let raw = pthread_getspecific(threadContextKey) {
            return Unmanaged<ThreadContext>.fromOpaque(raw).takeUnretainedValue()
        }
        let context = NativeRuntime.shared.makeContext(named: foreignThreadName())
        install(context)
        return context
    }

    /// Runs `body` with the calling thread's context lent at +0 (no retain and
    /// release: the thread-local slot keeps it alive), for the hot paths that
    /// record trace events.
    @inline(__always)
    static func withCurrent<R>(_ body: (ThreadContext) -> R) -> R {
        if let raw = pthread_getspecific(threadContextKey) {
            return Unmanaged<ThreadContext>.fromOpaque(raw)._withUnsafeGuaranteedRef(body)
        }
        return body(current)
    }

    /// Makes `context` the calling thread's context for the rest of its life.
    package static func install(_ context: ThreadContext) {
        if let old = pthread_getspecific(threadContextKey) {
            Unmanaged<ThreadContext>.fromOpaque(old).release()
        }
        pthread_setspecific(threadContextKey, Unmanaged.passRetained(context).toOpaque())
    }

    /// Runs `body` with `context` installed on the calling thread, then puts the
    /// previous context back. For hosting a runtime's program on a foreign thread.
    public static func withInstalled<R>(_ context: ThreadContext, _ body: () throws -> R) rethrows -> R {
        let previous = pthread_getspecific(threadContextKey)
        pthread_setspecific(threadContextKey, Unmanaged.passRetained(context).toOpaque())
        defer {
            if let raw = pthread_getspecific(threadContextKey) {
                Unmanaged<ThreadContext>.fromOpaque(raw).release()
            }
            pthread_setspecific(threadContextKey, previous)
        }
        return try body()
    }

    private static func foreignThreadName() -> String {
        if fl_is_main_thread() { return "MainThread" }
        return "Thread-\(foreignThreadCounter.next())"
    }
}

/// The TLS slot; its destructor drops the thread's reference when the thread
/// ends. Fibers of the deterministic runtime swap it (see `FiberLocals`).
let threadContextKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { raw in
        guard let raw else { return }
        Unmanaged<ThreadContext>.fromOpaque(raw).release()
    }
    precondition(status == 0, "pthread_key_create failed: \(status)")
    return key
}()

private let foreignThreadCounter = Counter(startingAt: 1)

/// The calling thread's runtime: use it for sleeps and clock reads in code that
/// runs on an executor, so the deterministic runtime can control them.
public var currentRuntime: any Runtime {
    ThreadContext.current.runtime
}

/// A thread's own values, by key (see `ThreadContext.locals`).
public final class ContextLocals: @unchecked Sendable {
    // @unchecked: `values` is only touched under `lock`.
    private let lock = SpinLock()
    private var values: [UInt64: any Sendable] = [:]

    public subscript(key: UInt64) -> (any Sendable)? {
        get { lock.withLock { values[key] } }
        set { lock.withLock { values[key] = newValue } }
    }
}
