import FuturesCore
import FuturesTrace

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP socket bound to 127.0.0.1 on an ephemeral port: a real socket for
/// `select` to wait on beside pollable queues (Cookbook 12.13's "queues
/// and sockets at once"). Each `send` is one datagram; `receive` takes one.
/// Loopback only, by design: experiments never reach beyond the machine.
public final class DatagramSocket: Selectable, @unchecked Sendable {
    // @unchecked: `descriptor` and `inFlight` are only touched under `lock`.
    public let name: String
    /// The port the system chose.
    public let port: UInt16
    private let lock = SpinLock()
    private var descriptor: Int32?
    /// Datagrams sent to this socket by this process and not yet received.
    private var inFlight = 0

    /// Largest datagram `receive` takes whole.
    public static let maximumSize = 65_507

    /// Throws `RuntimeError` when the system refuses the socket or the bind.
    public init(name: String = "socket") throws {
        self.name = name
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw Self.failure("socket", name) }
        var address = sockaddr_in.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            let error = Self.failure("bind 127.0.0.1", name)
            Glibc.close(fd)
            throw error
        }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close() }

    public func fileDescriptor() throws -> Int32 {
        try lock.withLock {
            guard let descriptor else { throw ValueError("select on a closed socket '\(name)'") }
            return descriptor
        }
    }

    public var writesInFlight: Int { lock.withLock { inFlight } }

    /// Sends `bytes` as one datagram from this socket to `destination`.
    public func send(_ bytes: [UInt8], to destination: DatagramSocket) throws {
        let fd = try fileDescriptor()
        let target = try destination.fileDescriptor()
        guard bytes.count <= Self.maximumSize else {
            throw ValueError("a datagram holds at most \(Self.maximumSize) bytes, not \(bytes.count)")
        }
        let waiting = destination.lock.withLock {
            destination.inFlight += 1
            return destination.inFlight
        }
        var address = sockaddr_in.loopback(port: destination.port)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard sent == bytes.count else {
            destination.lock.withLock { destination.inFlight -= 1 }
            throw Self.failure("sendto", name)
        }
        ThreadContext.current.trace?.record(.object(destination.name, kind: "socket", action: "put", value: waiting))
        Select.readinessChanged(target)
    }

    /// Takes one datagram, waiting (through `select`, so in virtual time in
    /// the deterministic runtime) up to `timeout`; nil if none came.
    public func receive(timeout: Duration? = nil) throws -> [UInt8]? {
        while true {
            if let bytes = try receiveNow() { return bytes }
            if try select([self], timeout: timeout).isEmpty { return nil }
        }
    }

    /// One datagram if one is waiting, without blocking.
    public func receiveNow() throws -> [UInt8]? {
        let fd = try fileDescriptor()
        var buffer = [UInt8](repeating: 0, count: Self.maximumSize)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
            throw Self.failure("recv", name)
        }
        let waiting = lock.withLock {
            inFlight = max(0, inFlight - 1)
            return inFlight
        }
        ThreadContext.current.trace?.record(.object(name, kind: "socket", action: "get", value: waiting))
        return Array(buffer[0..<count])
    }

    public func close() {
        let fd = lock.withLock { () -> Int32? in
            defer { descriptor = nil }
            return descriptor
        }
        guard let fd else { return }
        Glibc.close(fd)
        Select.readinessChanged(fd)
    }

    private static func failure(_ call: String, _ name: String) -> RuntimeError {
        RuntimeError("\(call) failed for socket '\(name)': \(String(cString: strerror(errno)))")
    }
}

extension sockaddr_in {
    /// 127.0.0.1:`port` (0: let the system choose): the only address the
    /// experiments' sockets bind or reach.
    package static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
