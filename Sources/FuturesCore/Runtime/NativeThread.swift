import CDispatch
import CFuturesShim
import FuturesTraceSchema

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached POSIX thread whose end is signalled through a `Latch`, so that
/// `join()` blocks through the seam and a thread nobody joins leaves nothing behind.
final class NativeThread: RuntimeThread {
    let name: String
    private let finished: Latch

    private init(name: String) {
        self.name = name
        self.finished = Latch(reason: .thread(name: name))
    }

    func join() {
        finished.wait()
    }

    func join(timeout: Duration?) -> Bool {
        finished.wait(until: currentRuntime.deadline(after: timeout))
    }

    var isAlive: Bool { !finished.isOpen }

    static func start(name: String, context: ThreadContext, body: @escaping @Sendable () -> Void) throws -> NativeThread {
        let thread = NativeThread(name: name)
        try startDetachedThread(named: name) {
            ThreadContext.install(context)
            fl_set_current_thread_name(context.name)
            body()
            thread.finished.open()
        }
        return thread
    }
}

/// Starts a detached POSIX thread that runs `body`: the pthread mechanics both
/// runtimes share (each passes what its thread does). Throws `RuntimeError`
/// ("can't start new thread …") when the system refuses.
func startDetachedThread(named name: String, _ body: @escaping @Sendable () -> Void) throws {
    let entry = Unmanaged.passRetained(ThreadEntry(body))
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    var handle = pthread_t()
    let status = pthread_create(&handle, &attributes, { raw in
        Unmanaged<ThreadEntry>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, entry.toOpaque())
    pthread_attr_destroy(&attributes)
    if status != 0 {
        entry.release()
        throw RuntimeError("can't start new thread \(name) (pthread_create: \(String(cString: strerror(status))))")
    }
}

/// A new thread's body, handed over as one retained pointer.
private final class ThreadEntry: Sendable {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
    }
}
