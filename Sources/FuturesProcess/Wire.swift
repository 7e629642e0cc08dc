import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The pipe protocol between a pool and its worker processes: frames of
/// `[length: UInt32][kind: UInt8][call: UInt64][payload]`, little-endian,
/// written in batches and read through a buffer — a task costs no system
/// call of its own when the pipe is busy.
enum Frame {
    enum Kind: UInt8 {
        /// Parent → worker: run a task. Payload: flags (1 byte: 1 = report the
        /// start), name length (2), name, then the arguments.
        case call = 1
        /// Parent → worker: run a task over a chunk of argument lists.
        /// Payload: flags, name length, name, count (4), then each item as
        /// length (4) + arguments.
        case chunk = 2
        /// Parent → worker: run the initializer (payload as `call`).
        case initialize = 3
        /// Parent → worker: finish and exit.
        case shutdown = 4
        /// Worker → parent: the call began.
        case started = 10
        /// Worker → parent: the result. For a chunk: count (4), then each as
        /// length (4) + bytes.
        case result = 11
        /// Worker → parent: the task threw. Payload: JSON `RemoteErrorInfo`.
        case error = 12
        /// Worker → parent: the worker is breaking (an argument it could not
        /// decode, a failed initializer). Payload: the reason, UTF-8.
        case broken = 13
        /// Worker → parent: a task called exit() in the middle of this call.
        case exiting = 14
    }

    static let headerSize = 13
}

/// What a worker says about an error a task threw.
struct RemoteErrorInfo: Codable {
    var type: String
    var message: String
    var traceback: String
}

/// Appends frames to a byte buffer.
struct FrameBuilder {
    private(set) var bytes: [UInt8] = []

    var isEmpty: Bool { bytes.isEmpty }

    mutating func append(_ kind: Frame.Kind, call: UInt64, payload: (inout [UInt8]) -> Void = { _ in }) {
        let start = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0, kind.rawValue])
        bytes.appendInteger(call)
        payload(&bytes)
        let length = UInt32(bytes.count - start - 4)
        withUnsafeBytes(of: length.littleEndian) { bytes.replaceSubrange(start..<start + 4, with: $0) }
    }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}

extension Array where Element == UInt8 {
    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendData(_ data: Data) {
        append(contentsOf: data)
    }
}

/// Reads little-endian fields from a frame's payload.
struct PayloadReader {
    let bytes: ArraySlice<UInt8>
    var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.endIndex else { throw WireError("a frame ended early") }
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { target in
            for index in 0..<size { target[index] = bytes[offset + index] }
        }
        offset += size
        return T(littleEndian: value)
    }

    mutating func data(count: Int) throws -> Data {
        guard count >= 0, offset + count <= bytes.endIndex else { throw WireError("a frame ended early") }
        defer { offset += count }
        return Data(bytes[offset..<offset + count])
    }

    mutating func rest() -> Data {
        defer { offset = bytes.endIndex }
        return Data(bytes[offset...])
    }

    mutating func string(count: Int) throws -> String {
        String(decoding: try data(count: count), as: UTF8.self)
    }
}

struct WireError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Buffered frame reading from a file descriptor: one `read` takes as many
/// frames as the pipe holds.
final class FrameReader {
    private let descriptor: Int32
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 16
    /// Unread bytes are storage[start..<end].
    private var start = 0
    private var end = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    private var available: Int { end - start }

    private func length(at index: Int) -> Int {
        Int(UInt32(storage[index]) | UInt32(storage[index + 1]) << 8 | UInt32(storage[index + 2]) << 16 | UInt32(storage[index + 3]) << 24)
    }

    /// True if a whole frame is already buffered (no system call needed).
    var hasBufferedFrame: Bool {
        available >= 4 && available >= 4 + length(at: start)
    }

    /// Makes room for `needed` more bytes after `end`.
    private func reserve(_ needed: Int) {
        if start > 0, end + needed > capacity {
            storage.update(from: storage + start, count: available)
            end -= start
            start = 0
        }
        if end + needed > capacity {
            var larger = capacity
            while end + needed > larger { larger *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
            grown.update(from: storage, count: end)
            storage.deallocate()
            storage = grown
            capacity = larger
        }
    }

    /// The next frame, or nil at the end of the stream.
    func next() throws -> (kind: Frame.Kind, call: UInt64, payload: ArraySlice<UInt8>)? {
        while !hasBufferedFrame {
            reserve(available >= 4 ? max(4096, 4 + length(at: start) - available) : 4096)
            let count = read(descriptor, storage + end, capacity - end)
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                if available > 0 { throw WireError("the stream ended in the middle of a frame") }
                return nil
            }
            end += count
        }
        let size = length(at: start)
        guard size >= Frame.headerSize - 4 else { throw WireError("a frame is too short") }
        guard let kind = Frame.Kind(rawValue: storage[start + 4]) else { throw WireError("unknown frame kind \(storage[start + 4])") }
        var call: UInt64 = 0
        for index in 0..<8 { call |= UInt64(storage[start + 5 + index]) << (8 * UInt64(index)) }
        let payload = Array(UnsafeBufferPointer(start: storage + start + 13, count: size - 9))[...]
        start += 4 + size
        if start == end { start = 0; end = 0 }
        return (kind, call, payload)
    }
}

/// Writes all of `bytes` to `descriptor`; false if the other end is gone.
@discardableResult
func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { raw in write(descriptor, raw.baseAddress! + offset, bytes.count - offset) }
        if written < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += written
    }
    return true
}
