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

/// Buffered frame reading from a file descriptor.
final class FrameReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    /// True if a whole frame is already buffered (no system call needed).
    var hasBufferedFrame: Bool {
        guard buffer.count - start >= 4 else { return false }
        return buffer.count - start >= 4 + Int(length(at: start))
    }

    private func length(at index: Int) -> UInt32 {
        UInt32(buffer[index]) | UInt32(buffer[index + 1]) << 8 | UInt32(buffer[index + 2]) << 16 | UInt32(buffer[index + 3]) << 24
    }

    /// The next frame, or nil at the end of the stream.
    func next() throws -> (kind: Frame.Kind, call: UInt64, payload: ArraySlice<UInt8>)? {
        // The payload is copied out: a slice of the buffer would make its next
        // refill copy the whole buffer.
        while !hasBufferedFrame {
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: 1 << 16))
            let count = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + old, 1 << 16)
            }
            if count < 0, errno == EINTR {
                buffer.removeSubrange(old...)
                continue
            }
            buffer.removeSubrange((old + max(0, count))...)
            if count <= 0 {
                if buffer.count > start { throw WireError("the stream ended in the middle of a frame") }
                return nil
            }
        }
        let size = Int(length(at: start))
        guard size >= Frame.headerSize - 4 else { throw WireError("a frame is too short") }
        guard let kind = Frame.Kind(rawValue: buffer[start + 4]) else { throw WireError("unknown frame kind \(buffer[start + 4])") }
        var header = PayloadReader(buffer[(start + 5)..<(start + 13)])
        let call = try header.integer(UInt64.self)
        let payload = Array(buffer[(start + 13)..<(start + 4 + size)])[...]
        start += 4 + size
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
