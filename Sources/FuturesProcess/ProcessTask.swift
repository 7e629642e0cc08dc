import Foundation
import FuturesCore

/// A function a process pool can run: registered by name in every process
/// of the program, with `Codable` arguments and result — the Swift
/// counterpart of Python's rule that only picklable module-level functions
/// cross to a worker process.
public struct ProcessTask<Arguments: Codable & Sendable, Result: Codable & Sendable>: Sendable, Hashable {
    public let name: String
    public init(_ name: String) { self.name = name }
}

/// The registry of process tasks. Register at start-up, before any pool is
/// created and before `ProcessWorker.runIfWorker()` — the parent and its
/// workers must run the same registrations (they run the same binary).
public enum ProcessTasks {
    /// A registered task, type-erased: bytes in, bytes out.
    struct Entry: Sendable {
        /// Decodes the arguments (a failure here is the worker's, as in
        /// CPython's unpickling of a call item).
        let decode: @Sendable (Data) throws -> any Sendable
        /// Runs the function and encodes its result.
        let run: @Sendable (any Sendable) throws -> Data
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var entries: [String: Entry] = [:]
    // nonisolated(unsafe): `entries` is only read and written under `lock`.

    /// Registers `body` as `task`. Registering a name twice replaces it.
    public static func register<A, R>(_ task: ProcessTask<A, R>, _ body: @escaping @Sendable (A) throws -> R) {
        let entry = Entry(
            decode: { data in try WireCodec.decode(A.self, from: data) },
            run: { arguments in try WireCodec.encode(try body(arguments as! A)) })
        lock.withLock { entries[task.name] = entry }
    }

    static func entry(named name: String) -> Entry? {
        lock.withLock { entries[name] }
    }

    /// The names registered so far.
    public static var names: [String] {
        lock.withLock { entries.keys.sorted() }
    }
}

/// Arguments and results on the wire: JSON (Foundation), which every
/// `Codable` type supports and whose errors name the field at fault.
///
/// An `Int` — the commonest argument and result of small calls — is written
/// and read as its JSON text directly (the same bytes JSONEncoder writes):
/// a chunked `map` spent most of the parent's time making coders.
enum WireCodec {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        if T.self == Int.self, let integer = value as? Int { return Data(String(integer).utf8) }
        do {
            return try JSONEncoder().encode(value)
        } catch let death as SimulatedDeath {
            throw death  // a simulated worker ending, not an encoding problem
        } catch {
            throw PicklingError("cannot encode \(T.self): \(describe(error))")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if T.self == Int.self, data.count <= 20, let integer = Int(String(decoding: data, as: UTF8.self)), let value = integer as? T {
            return value
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let death as SimulatedDeath {
            throw death
        } catch {
            throw PicklingError("cannot decode \(T.self): \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let picking = error as? PicklingError { return picking.message }
        switch error as? EncodingError {
        case .invalidValue(let value, let context)?:
            return "invalid value \(value) at \(path(context.codingPath)): \(context.debugDescription)"
        default: break
        }
        switch error as? DecodingError {
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            return "\(context.debugDescription) at \(path(context.codingPath))"
        case .keyNotFound(let key, let context)?:
            return "no key '\(key.stringValue)' at \(path(context.codingPath))"
        default: return String(describing: error)
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
