import Foundation
import FuturesCore

/// One call on its way to a worker: a task name, its encoded arguments (one
/// list, or a chunk of them), and how to complete its future.
final class ProcessCall: @unchecked Sendable {
    // @unchecked: every field is set at creation and never changes.
    let id: UInt64
    let name: String
    let arguments: [Data]
    let isChunk: Bool
    let future: AnyFuture
    /// Completes the future from the worker's answer. A throw here (the
    /// parent cannot decode the result) breaks the pool, as in CPython.
    let complete: @Sendable (Result<[Data], any Error>) throws -> Void

    init(id: UInt64, name: String, arguments: [Data], isChunk: Bool, future: AnyFuture,
         complete: @escaping @Sendable (Result<[Data], any Error>) throws -> Void) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.isChunk = isChunk
        self.future = future
        self.complete = complete
    }

    /// Appends the call's frame to `builder`.
    func write(into builder: inout FrameBuilder, kind: Frame.Kind? = nil, reportStart: Bool) {
        let nameBytes = Array(name.utf8)
        builder.append(kind ?? (isChunk ? .chunk : .call), call: id) { bytes in
            bytes.append(reportStart ? 1 : 0)
            bytes.appendInteger(UInt16(nameBytes.count))
            bytes.append(contentsOf: nameBytes)
            if isChunk {
                bytes.appendInteger(UInt32(arguments.count))
                for item in arguments {
                    bytes.appendInteger(UInt32(item.count))
                    bytes.appendData(item)
                }
            } else {
                bytes.appendData(arguments[0])
            }
        }
    }
}

/// A task and its encoded arguments, for an initializer.
public struct ProcessInitializer: Sendable {
    let name: String
    let arguments: Data

    /// Encodes `arguments` now; a failure is the caller's.
    public init<A, R>(_ task: ProcessTask<A, R>, _ arguments: A) throws {
        self.name = task.name
        self.arguments = try WireCodec.encode(arguments)
    }
}
