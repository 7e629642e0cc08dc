import FuturesCore
import FuturesTrace
import FuturesTraceSchema
import NIOConcurrencyHelpers
import Synchronization

/// The Cookbook's echo server (12.7): a TCP server on 127.0.0.1 that hands
/// each connection to a `ThreadPoolExecutor` of N workers — or, in the
/// comparison, to a new thread per client, which a flood of clients (or an
/// attacker) can multiply without bound.
///
/// An acceptor thread of the calling runtime takes connections; a handler
/// echoes what it receives until the client closes. Handlers are the pool's
/// futures (`echo_client(#7)`), so the lanes show at most N at once and the
/// rest queued; per-client threads are lanes of their own. Blocking reads
/// and writes give up after `timeout`, so a silent client cannot hold a
/// handler for ever.
public final class EchoServer: Sendable {
    public enum Handling: Sendable {
        case pool(any Executor)
        case threadPerClient
    }

    public let name: String
    public let port: Int
    private let listener: TCPSocket
    private let handling: Handling
    private let timeout: Duration
    private let stopping = Atomic<Bool>(false)
    /// NIO's locked box, not `Synchronization.Mutex`: ThreadSanitizer reports
    /// Mutex-guarded state as racing here (see docs/testing.md).
    private let stats = NIOLockedValueBox(Stats())
    private let acceptor = NIOLockedValueBox<(any RuntimeThread)?>(nil)
    private let native: NativeRuntime

    /// What the server saw.
    public struct Stats: Sendable, Equatable {
        public var connections = 0
        /// Handlers echoing at the same moment, at most.
        public var peakHandlers = 0
        /// Threads started for clients (thread per client).
        public var threadsStarted = 0
        public var bytesEchoed = 0
        /// Handlers that ended with an error (a timeout, a reset).
        public var failures = 0
        var active = 0
    }

    /// Listens on 127.0.0.1 (an ephemeral port) and starts accepting.
    /// Native runtime only: its threads block in the kernel, which the
    /// deterministic runtime's scheduler cannot see (`RuntimeError`).
    public init(name: String = "echo-server", handling: Handling, timeout: Duration = .seconds(30)) throws {
        guard let native = currentRuntime as? NativeRuntime else {
            throw RuntimeError("the echo server blocks in the kernel: it runs in the native runtime only")
        }
        self.native = native
        self.name = name
        self.handling = handling
        self.timeout = timeout
        (listener, port) = try TCPSocket.listen()
        let thread = try currentRuntime.startThread(named: name) { [self] in acceptLoop() }
        acceptor.withLockedValue { $0 = thread }
    }

    public var statistics: Stats { stats.withLockedValue { $0 } }

    /// Stops accepting, waits for the acceptor and closes the listening
    /// socket, so the port is free when this returns; handlers already
    /// running end when their clients close (or time out).
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        let thread = acceptor.withLockedValue { thread in
            defer { thread = nil }
            return thread
        }
        guard let thread else { return }
        listener.shutdown()  // wakes the acceptor's poll
        thread.join()
        listener.close()
    }

    /// Waits for connections as an idle worker waits for work (traced, and
    /// not counted by the watchdog as a thread that could still act), until
    /// `stop` shuts the listening socket down.
    private func acceptLoop() {
        var accepted = 0
        while !stopping.load(ordering: .relaxed) {
            let next = native.blocking(reason: .work(executor: name), deadline: nil) { Result { try listener.accept(timeout: nil) } }
            if stopping.load(ordering: .relaxed) { break }
            guard case .success(let connection) = next, let client = connection else {
                native.sleep(for: .milliseconds(10))  // e.g. out of descriptors: do not spin
                continue
            }
            accepted += 1
            stats.withLockedValue { $0.connections += 1 }
            let number = accepted
            do {
                switch handling {
                case .pool(let executor):
                    _ = try executor.submit(label: "echo_client(#\(number))") { [self] in serve(client, number) }
                case .threadPerClient:
                    stats.withLockedValue { $0.threadsStarted += 1 }
                    _ = try currentRuntime.startThread(named: "echo-client-\(number)") { [self] in serve(client, number) }
                }
            } catch {
                stats.withLockedValue { $0.failures += 1 }
                ThreadContext.current.trace?.record(.log(level: "error", message: "\(name): connection #\(number) refused: \(error)"))
            }
        }
    }

    /// Echoes until the client closes.
    private func serve(_ client: TCPSocket, _ number: Int) {
        stats.withLockedValue {
            $0.active += 1
            $0.peakHandlers = max($0.peakHandlers, $0.active)
        }
        defer { stats.withLockedValue { $0.active -= 1 } }
        client.setTimeout(timeout)
        let context = ThreadContext.current
        let reason = WaitReason.io("recv from client #\(number)")
        do {
            while true {
                context.trace?.record(.waitBegan(thread: context.name, reason: reason))
                let chunk = try client.receive(capacity: 65_536)
                context.trace?.record(.waitEnded(thread: context.name, reason: reason, timedOut: false))
                if chunk.isEmpty { return }
                try client.sendAll(chunk)
                stats.withLockedValue { $0.bytesEchoed += chunk.count }
            }
        } catch {
            context.trace?.record(.waitEnded(thread: context.name, reason: reason, timedOut: true))
            stats.withLockedValue { $0.failures += 1 }
            context.trace?.record(.log(level: "error", message: "\(name): client #\(number): \(error)"))
        }
    }
}
