import FuturesCore
import FuturesSync
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP socket on 127.0.0.1, the way the Cookbook's echo server
/// uses one (`socket`, `bind`, `listen`, `accept`, `recv`, `send`); the
/// descriptor is closed when the object goes.
final class TCPSocket: @unchecked Sendable {
    // @unchecked: `descriptor` never changes; a socket is used by one thread
    // at a time (the acceptor, then the one handler it is passed to), and
    // `close` is called once its user is done (`closed` makes the deinit's
    // close a no-op then).
    let descriptor: Int32
    private let closed = Atomic<Bool>(false)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close() }

    /// Closes the descriptor now (once): a listener stops taking connections
    /// at once, whoever still holds the object.
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Glibc.close(descriptor)
    }

    /// A listening socket on 127.0.0.1 and the port the system chose.
    static func listen(backlog: Int32 = 128) throws -> (TCPSocket, Int) {
        let socket = try make()
        var yes: Int32 = 1
        setsockopt(socket.descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socket.descriptor, raw, length) == 0 && Glibc.listen(socket.descriptor, backlog) == 0
                    && getsockname(socket.descriptor, raw, &length) == 0
            }
        }
        guard ok else { throw failure("listen on 127.0.0.1") }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A socket connected to 127.0.0.1:`port`.
    static func connect(port: Int) throws -> TCPSocket {
        let socket = try make()
        var address = sockaddr_in.loopback(port: UInt16(port))
        let ok = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                Glibc.connect(socket.descriptor, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard ok else { throw failure("connect to 127.0.0.1:\(port)") }
        return socket
    }

    /// Waits up to `timeout` (nil: until one comes, or `shutdown`) for a
    /// connection; nil if none came.
    func accept(timeout: Duration?) throws -> TCPSocket? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = Glibc.poll(&poller, 1, timeout.map { Int32($0.clampedNanoseconds / 1_000_000) } ?? -1)
        if ready < 0 { if errno == EINTR { return nil } else { throw Self.failure("poll") } }
        if ready == 0 { return nil }
        let client = Glibc.accept(descriptor, nil, nil)
        if client < 0 {
            if errno == EAGAIN || errno == EINTR || errno == ECONNABORTED { return nil }
            throw Self.failure("accept")
        }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        return TCPSocket(descriptor: client)
    }

    /// Stops a listening socket: a waiting `accept` returns (with an error).
    func shutdown() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Reads and writes give up after `timeout` (SO_RCVTIMEO / SO_SNDTIMEO).
    func setTimeout(_ timeout: Duration) {
        let nanoseconds = timeout.clampedNanoseconds
        var value = timeval(tv_sec: Int(nanoseconds / 1_000_000_000), tv_usec: Int(nanoseconds % 1_000_000_000 / 1_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Up to `capacity` bytes; empty when the peer closed.
    func receive(capacity: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: capacity)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer[0..<count]) }
            if errno == EINTR { continue }
            throw Self.failure(errno == EAGAIN || errno == EWOULDBLOCK ? "recv (timed out)" : "recv")
        }
    }

    /// Exactly `count` bytes, or an error if the peer closes first.
    func receive(exactly count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let chunk = try receive(capacity: count - bytes.count)
            if chunk.isEmpty { throw RuntimeError("the peer closed after \(bytes.count) of \(count) bytes") }
            bytes += chunk
        }
        return bytes
    }

    func sendAll(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.failure("send")
            }
            sent += count
        }
    }

    private static func make() throws -> TCPSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        return TCPSocket(descriptor: fd)
    }

    private static func failure(_ call: String) -> RuntimeError {
        RuntimeError("\(call) failed: \(String(cString: strerror(errno)))")
    }
}
