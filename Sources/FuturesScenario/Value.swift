import BigInt
import Foundation

/// A value in a scenario: what parameters, variables, results and log lines
/// hold. Printed the way Python prints it (`[0, 10, 20]`, `'text'` inside a
/// list, `None`), since the experiments come from Python books.
public enum Value: Sendable, Equatable, CustomStringConvertible {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer past 64 bits (Python's ints do not overflow), boxed so a
    /// value stays as small as before (every step copies values); an integer
    /// that fits is always `.int` (`PythonNumbers.value`).
    indirect case bigInt(BigInt)
    case double(Double)
    case string(String)
    case list([Value])
    /// A future made by `submit`; its identity, not its contents, is the value.
    case future(any FutureReference)

    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.bigInt(a), .bigInt(b)): a == b
        case (.bigInt, .int), (.int, .bigInt): false
        case let (.bigInt(a), .double(b)), let (.double(b), .bigInt(a)): Double(a) == b
        case let (.double(a), .double(b)): a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): Double(a) == b
        case let (.string(a), .string(b)): a == b
        case let (.list(a), .list(b)): a == b
        case let (.future(a), .future(b)): a === b
        default: false
        }
    }

    /// `str(value)` in Python.
    public var description: String {
        switch self {
        case .string(let text): text
        default: repr
        }
    }

    /// `repr(value)` in Python.
    public var repr: String {
        switch self {
        case .none: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .int(let number): String(number)
        case .bigInt(let number): String(number)
        case .double(let number): Self.format(number)
        case .string(let text): Self.quote(text)
        case .list(let items): "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .future(let future): future.repr
        }
    }

    /// The value as a JSON literal (a trace header's parameters): `5`,
    /// `0.5`, `true`, `"text"`, `null`, a list.
    public var json: String {
        switch self {
        case .none, .future: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .bigInt(let number): String(number)
        case .double(let number): number.isFinite ? Self.format(number) : "null"
        case .string(let text): Self.jsonQuote(text)
        case .list(let items): "[" + items.map(\.json).joined(separator: ",") + "]"
        }
    }

    static func jsonQuote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A `--set name=value` text as a value: a number, true / false, a
    /// quoted string, or else the text itself.
    public static func setting(_ text: String) -> Value {
        switch text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
        if let whole = Int(text) { return .int(whole) }
        if let real = Double(text), real.isFinite { return .double(real) }
        if text.count >= 2, let first = text.first, first == text.last, first == "'" || first == "\"" {
            return .string(String(text.dropFirst().dropLast()))
        }
        return .string(text)
    }

    /// The Python type's name: `int`, `str`, `list`, …
    public var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .double: "float"
        case .string: "str"
        case .list: "list"
        case .future(let future): future.typeName
        }
    }

    /// The items, if this is a list.
    public var listItems: [Value]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// Python's truth value.
    public var isTruthy: Bool {
        switch self {
        case .none: false
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .bigInt(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .list(let items): !items.isEmpty
        case .future: true
        }
    }

    /// The value as a number of seconds or a count, if it is a number.
    public var number: Double? {
        switch self {
        case .int(let number): Double(number)
        case .bigInt(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// Python's repr of a string: single quotes, or double quotes when the
    /// text has a single quote and no double one.
    static func quote(_ text: String) -> String {
        var escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
        if text.contains("'"), !text.contains("\"") { return "\"" + escaped + "\"" }
        escaped = escaped.replacingOccurrences(of: "'", with: "\\'")
        return "'" + escaped + "'"
    }

    /// Python's float formatting: shortest round-trip, always with a point.
    /// A number as Python prints the int it equals, or else the float
    /// (`3`, `2.5`): a recorded value, a parameter's bound.
    public static func formatWhole(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : format(number)
    }

    public static func format(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        let text = "\(number)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }
}

/// What a `.future` value points to; the runner supplies it.
public protocol FutureReference: AnyObject, Sendable {
    /// The call it runs, as `label` names it (`loiter(3)`).
    var label: String { get }
    /// `pending`, `running`, `finished`, `raised` or `cancelled`, now.
    var state: String { get }
    /// As Python prints it: `<Future loiter(3) state=running>`.
    var repr: String { get }
    /// Python's type name: `Future`, `ApplyResult`, `MapResult`.
    var typeName: String { get }
}

extension FutureReference {
    public var repr: String { "<Future \(label) state=\(state)>" }
    public var typeName: String { "Future" }
}

/// Values cross to worker processes as JSON: null, booleans, numbers, text,
/// lists. A future cannot (Python: "cannot pickle '_thread.lock' object").
extension Value: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .none }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Int.self) { self = .int(number) }
        else if let number = try? container.decode(Double.self) { self = .double(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else { self = .list(try container.decode([Value].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .none: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .bigInt(let number): try container.encode(String(number))
        case .double(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        case .future(let future):
            throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath,
                debugDescription: "a future (\(future.label)) cannot be sent to another process"))
        }
    }
}
