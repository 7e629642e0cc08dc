import CFuturesShim

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

    /// What the new thread needs; handed over as one retained pointer.
    private final class Launch: Sendable {
        let thread: NativeThread
        let context: ThreadContext
        let body: @Sendable () -> Void

        init(thread: NativeThread, context: ThreadContext, body: @escaping @Sendable () -> Void) {
            self.thread = thread
            self.context = context
            self.body = body
        }
    }

    static func start(name: String, context: ThreadContext, body: @escaping @Sendable () -> Void) throws -> NativeThread {
        let thread = NativeThread(name: name)
        let launch = Unmanaged.passRetained(Launch(thread: thread, context: context, body: body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var handle = pthread_t()
        let status = pthread_create(&handle, &attributes, { raw in
            let launch = Unmanaged<Launch>.fromOpaque(raw!).takeRetainedValue()
            ThreadContext.install(launch.context)
            fl_set_current_thread_name(launch.context.name)
            launch.body()
            launch.thread.finished.open()
            return nil
        }, launch.toOpaque())
        pthread_attr_destroy(&attributes)
        if status != 0 {
            launch.release()
            throw RuntimeError("can't start new thread \(name) (pthread_create: \(String(cString: strerror(status))))")
        }
        return thread
    }
}
