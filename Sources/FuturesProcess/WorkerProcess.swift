import CFuturesShim
import Foundation
import FuturesCore
#if canImport(Glibc)
import Glibc
#endif

/// One worker process, as its pool sees it: the pipes, the calls it holds,
/// and the writer thread that feeds it (so that a full pipe never blocks
/// `submit`).
///
/// Every `var` but the writer's queue is guarded by the pool's lock; the
/// writer's queue by its own condition.
final class WorkerProcess: @unchecked Sendable {
    let index: Int
    let name: String
    var pid: pid_t = 0
    /// Parent → worker (the worker's stdin).
    var toWorker: Int32 = -1
    /// Worker → parent (the worker's original stdout).
    var fromWorker: Int32 = -1
    /// Started and ready for calls.
    var ready = false
    /// Calls sent and not answered, by id.
    var inFlight: [UInt64: ProcessCall] = [:]
    /// Calls sent to it so far (for max_tasks_per_child).
    var sent = 0
    /// Takes no more calls (max_tasks_per_child reached, or shutting down).
    var retiring = false
    var shutdownSent = false
    /// A task called exit() during this call: the coming end is orderly.
    var exitingCall: UInt64?

    private let queueCondition = NSCondition()
    private var queued: [UInt8] = []
    /// A thread is writing to the pipe (one at a time, to keep frames whole).
    private var writing = false
    private var closed = false

    init(index: Int, executorName: String) {
        self.index = index
        self.name = "\(executorName)_\(index)"
    }

    /// Starts the process: `executable worker-argument`, stdin and stdout on
    /// pipes, stderr shared with the parent.
    func spawn(executable: String) throws {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        guard fl_pipe_cloexec(&input) == 0 else { throw POSIXError(.EMFILE) }
        guard fl_pipe_cloexec(&output) == 0 else {
            close(input[0]); close(input[1])
            throw POSIXError(.EMFILE)
        }
        let arguments = [executable, ProcessWorker.argument]
        var child: Int32 = 0
        let status = withCStringArray(arguments) { argv in
            withCStringArray(ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }) { envp in
                fl_spawn(argv, envp, input[0], output[1], 2, &child)
            }
        }
        close(input[0])
        close(output[1])
        guard status == 0 else {
            close(input[1]); close(output[0])
            throw RuntimeError("cannot start a worker process (\(executable)): \(String(cString: strerror(status)))")
        }
        pid = child
        toWorker = input[1]
        _ = fcntl(toWorker, F_SETFL, fcntl(toWorker, F_GETFL) | O_NONBLOCK)
        fromWorker = output[0]
    }

    // MARK: - Writing

    /// Sends `bytes`: at once from the calling thread when nobody else is
    /// writing and the pipe takes them (no thread hand-off: a round trip
    /// costs one wake-up fewer), else through the writer thread, so that a
    /// full pipe never blocks the caller.
    func enqueue(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        queueCondition.lock()
        guard queued.isEmpty, !writing, !closed else {
            queued.append(contentsOf: bytes)
            queueCondition.signal()
            queueCondition.unlock()
            return
        }
        writing = true
        queueCondition.unlock()
        let written = writeSome(bytes)
        queueCondition.lock()
        writing = false
        if written < bytes.count {
            queued.insert(contentsOf: bytes[max(0, written)...], at: 0)
        }
        if !queued.isEmpty { queueCondition.signal() }
        queueCondition.unlock()
    }

    /// Writes what the (non-blocking) pipe takes now; returns the count.
    private func writeSome(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw in write(toWorker, raw.baseAddress! + offset, bytes.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                return offset
            }
            offset += count
        }
        return offset
    }

    /// The writer thread's loop: sends whatever is queued, waiting for room
    /// in the pipe when it is full.
    func writeLoop() {
        while true {
            queueCondition.lock()
            while (queued.isEmpty || writing), !closed { queueCondition.wait() }
            if queued.isEmpty || writing {
                queueCondition.unlock()
                if closed { return }
                continue
            }
            let bytes = queued
            queued.removeAll(keepingCapacity: true)
            writing = true
            queueCondition.unlock()
            var offset = 0
            var gone = false
            while offset < bytes.count {
                let count = bytes.withUnsafeBytes { raw in write(toWorker, raw.baseAddress! + offset, bytes.count - offset) }
                if count >= 0 {
                    offset += count
                } else if errno == EAGAIN {
                    var descriptor = pollfd(fd: toWorker, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&descriptor, 1, 100)
                } else if errno != EINTR {
                    gone = true
                    break
                }
            }
            queueCondition.lock()
            writing = false
            if gone {
                // The worker is gone; its reader will find out and say why.
                queued.removeAll()
                closed = true
            }
            queueCondition.broadcast()
            queueCondition.unlock()
            if gone { return }
        }
    }

    /// Lets the writer finish what is queued and stop.
    func closeWriter() {
        queueCondition.lock()
        closed = true
        queueCondition.broadcast()
        queueCondition.unlock()
    }

    /// Waits for the process and says how it ended.
    func reap() -> (exitCode: Int32?, signal: Int32?) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        if status & 0x7f == 0 { return ((status >> 8) & 0xff, nil) }
        return (nil, status & 0x7f)
    }
}

/// "exit code 99", "signal 9 (SIGKILL)".
func describeEnd(exitCode: Int32?, signal: Int32?) -> String {
    if let exitCode { return "terminated abruptly with exit code \(exitCode)" }
    let number = signal ?? 0
    let names: [Int32: String] = [SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGTERM: "SIGTERM",
                                  SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE", SIGTRAP: "SIGTRAP", SIGINT: "SIGINT"]
    return "terminated abruptly by signal \(number)" + (names[number].map { " (\($0))" } ?? "")
}

/// Runs `body` with `strings` as a NULL-terminated C array.
func withCStringArray<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) } + [nil])
}
