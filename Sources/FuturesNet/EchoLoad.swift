import FuturesCore
import NIOConcurrencyHelpers
import Synchronization

/// A bounded load on an echo server: `clients` clients connect at once, each
/// sends `messages` messages of `size` bytes (pausing `pause` between them),
/// reads every echo back and checks it byte for byte, then closes. Nothing
/// runs longer than `timeout` a read, so the load always ends by itself.
///
/// The clients are threads of the native runtime outside the run (they are
/// the network's other side, not part of the experiment), so they do not
/// crowd the dashboard's lanes.
public enum EchoLoad {
    public struct Result: Sendable, Equatable {
        /// Clients whose every message came back intact.
        public var clientsOK = 0
        public var bytesChecked = 0
        /// Echoes that differed from what was sent.
        public var mismatches = 0
        /// Clients that failed (connect, a timeout, a reset), with the reason.
        public var failures: [String] = []
    }

    public static func run(port: Int, clients: Int, messages: Int, size: Int, pause: Duration,
                           timeout: Duration = .seconds(30)) -> Result {
        let result = NIOLockedValueBox(Result())
        var threads: [any RuntimeThread] = []
        for client in 0..<clients {
            do {
                threads.append(try NativeRuntime.shared.startThread(named: "load-client-\(client)") {
                    let outcome = runClient(client, port: port, messages: messages, size: size, pause: pause, timeout: timeout)
                    result.withLockedValue { total in
                        total.bytesChecked += outcome.bytes
                        total.mismatches += outcome.mismatches
                        if let failure = outcome.failure {
                            total.failures.append("client \(client): \(failure)")
                        } else if outcome.mismatches == 0 {
                            total.clientsOK += 1
                        }
                    }
                })
            } catch {
                result.withLockedValue { $0.failures.append("client \(client): \(error)") }
            }
        }
        for thread in threads { thread.join() }
        return result.withLockedValue { total in
            total.failures.sort()
            return total
        }
    }

    /// The bytes of message `index` of `client`: distinct for every
    /// message, so a crossed or stale echo is caught.
    static func message(client: Int, index: Int, size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ client &* 7 &+ index &* 13) }
    }

    private static func runClient(_ client: Int, port: Int, messages: Int, size: Int, pause: Duration,
                                  timeout: Duration) -> (bytes: Int, mismatches: Int, failure: String?) {
        var bytes = 0, mismatches = 0
        do {
            let socket = try TCPSocket.connect(port: port)
            socket.setTimeout(timeout)
            for index in 0..<messages {
                let sent = message(client: client, index: index, size: size)
                try socket.sendAll(sent)
                let echoed = try socket.receive(exactly: size)
                bytes += echoed.count
                if echoed != sent { mismatches += 1 }
                if pause > .zero, index < messages - 1 { NativeRuntime.shared.sleep(for: pause) }
            }
            return (bytes, mismatches, nil)
        } catch {
            return (bytes, mismatches, "\(error)")
        }
    }
}
