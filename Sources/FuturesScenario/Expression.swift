import BigInt
import Foundation
/// The small expression language of scenario files: enough of Python's to
/// write `n * 10`, `range(5)`, `results[0]`, `len(done)` and `'a' + name`.
///
/// Grammar (lowest precedence first):
/// ```
/// expr    := conj ('or' conj)*
/// conj    := neg ('and' neg)*
/// neg     := 'not' neg | compare
/// compare := sum (('==' | '!=' | '<' | '<=' | '>' | '>=') sum)?
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/' | '//' | '%') unary)*
/// unary   := '-' unary | postfix
/// postfix := primary ('[' expr ']')*
/// primary := number | string | name | name '(' args ')' | '[' args ']' | '(' expr ')'
/// ```
/// Names: `True`, `False`, `None`, and whatever is in scope. Functions:
/// `range`, `len`, `str`, `sum`, `min`, `max`, `round`, `union(lists)` (the
/// sorted distinct items), `basename(path)`, `state(future)`
/// (`pending`, `running`, `finished`, `raised`, `cancelled`), and the seeded
/// `random()`, `uniform(a, b)`, `randint(a, b)`, `choice(seq)`, `shuffle(seq)`
/// (`RandomStream`).
/// Where an expression finds its names: a dictionary, or a running task's
/// locals over main's globals (looked up, never merged).
public protocol VariableScope {
    func value(of name: String) -> Value?
    /// The same, for a name read by an expression (its hash made once, when parsed).
    func value(of name: VariableName) -> Value?
    /// The running thread's random numbers (`RandomStream`); nil where no
    /// program runs (an expectation, a label), and `random()` is an error there.
    func randomStream() -> RandomStream?
}

extension VariableScope {
    public func value(of name: VariableName) -> Value? { value(of: name.text) }
    public func randomStream() -> RandomStream? { nil }
}

extension Dictionary: VariableScope where Key == String, Value == FuturesScenario.Value {
    public func value(of name: String) -> FuturesScenario.Value? { self[name] }
}

public indirect enum Expression: Sendable, Equatable, CustomStringConvertible {
    case literal(Value)
    case name(VariableName)
    case list([Expression])
    case call(String, [Expression])
    case index(Expression, Expression)
    case negate(Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `a and b` (`and: true`) or `a or b`, short-circuiting, giving an operand as Python does.
    case logical(and: Bool, Expression, Expression)
    /// `not a`.
    case not(Expression)

    public static let functions = Set<String>(["range", "len", "str", "sum", "min", "max", "round", "state", "union", "basename", "lower", "upper", "count"])
        .union(RandomStream.functions)

    /// Every variable name the expression reads.
    public var names: [String] {
        switch self {
        case .literal: []
        case .name(let name): [name.text]
        case .list(let items): items.flatMap(\.names)
        case .call(_, let arguments): arguments.flatMap(\.names)
        case .index(let base, let index): base.names + index.names
        case .negate(let operand), .not(let operand): operand.names
        case .logical(_, let left, let right): left.names + right.names
        case .binary(_, let left, let right): left.names + right.names
        }
    }

    public var description: String {
        switch self {
        case .literal(let value): value.repr
        case .name(let name): name.text
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .call(let name, let arguments): name + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
        case .index(let base, let index): "\(base)[\(index)]"
        case .negate(let operand): "-\(operand)"
        case .not(let operand): "not \(operand)"
        case .logical(let and, let left, let right): "\(left) \(and ? "and" : "or") \(right)"
        case .binary(let op, let left, let right): "\(left) \(op.rawValue) \(right)"
        }
    }

    // MARK: - Evaluation

    /// The value in `scope`; errors are Python's in words (`TypeError: …`).
    public func evaluate<Scope: VariableScope>(in scope: Scope) throws(EvaluationError) -> Value {
        switch self {
        case .literal(let value):
            return value
        case .name(let name):
            guard let value = scope.value(of: name) else { throw EvaluationError("NameError: name '\(name.text)' is not defined") }
            return value
        case .list(let items):
            return .list(try items.map { item throws(EvaluationError) in try item.evaluate(in: scope) })
        case .call(let name, let arguments):
            let values = try arguments.map { argument throws(EvaluationError) in try argument.evaluate(in: scope) }
            if RandomStream.functions.contains(name) {
                guard let random = scope.randomStream() else {
                    throw EvaluationError("RuntimeError: \(name)() draws from the running thread's random numbers: not available here")
                }
                return try random.call(name, values)
            }
            return try Self.call(name, values)
        case .index(let base, let index):
            let container = try base.evaluate(in: scope)
            guard case .int(var position) = try index.evaluate(in: scope) else {
                throw EvaluationError("TypeError: indices must be integers")
            }
            let items: [Value]
            switch container {
            case .list(let list): items = list
            case .string(let text): items = text.map { .string(String($0)) }
            default: throw EvaluationError("TypeError: '\(container.typeName)' object is not subscriptable")
            }
            if position < 0 { position += items.count }
            guard items.indices.contains(position) else { throw EvaluationError("IndexError: index out of range") }
            return items[position]
        case .negate(let operand):
            switch try operand.evaluate(in: scope) {
            case .int(let number): return number == .min ? PythonNumbers.value(-BigInt(number)) : .int(-number)
            case .bigInt(let number): return PythonNumbers.value(-number)
            case .double(let number): return .double(-number)
            case let other: throw EvaluationError("TypeError: bad operand type for unary -: '\(other.typeName)'")
            }
        case .binary(let op, let left, let right):
            return try Self.apply(op, try left.evaluate(in: scope), try right.evaluate(in: scope))
        case .logical(let and, let left, let right):
            let first = try left.evaluate(in: scope)
            return first.isTruthy == and ? try right.evaluate(in: scope) : first
        case .not(let operand):
            return .bool(!(try operand.evaluate(in: scope)).isTruthy)
        }
    }

    static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(EvaluationError) -> Value {
        switch op {
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        default: break
        }
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case .add, .subtract, .multiply, .floorDivide, .modulo, .power: return try PythonNumbers.integerArithmetic(op, x, y)
            case .divide:
                guard y != 0 else { throw EvaluationError("ZeroDivisionError: division by zero") }
                return .double(Double(x) / Double(y))
            case .less: return .bool(x < y)
            case .lessOrEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            case .greaterOrEqual, .equal, .notEqual: return .bool(x >= y)
            }
        }
        // An integer past 64 bits with another integer: exactly.
        if a.isBigInt || b.isBigInt, let x = PythonNumbers.integer(a), let y = PythonNumbers.integer(b) {
            return try PythonNumbers.bigArithmetic(op, x, y)
        }
        switch (op, a, b) {
        case let (.add, .string(x), .string(y)): return .string(x + y)
        case let (.add, .list(x), .list(y)): return .list(x + y)
        case let (.multiply, .string(x), .int(n)):
            guard n <= 0 || x.utf8.count <= Self.maximumStringBytes / n else {
                throw EvaluationError("MemoryError: the string would be over \(Self.maximumStringBytes) bytes")
            }
            return .string(String(repeating: x, count: max(0, n)))
        case (.multiply, .string, .bigInt):
            throw EvaluationError("OverflowError: cannot fit 'int' into an index-sized integer")
        default:
            guard let x = try a.float, let y = try b.float else {
                throw EvaluationError("TypeError: unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
            }
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .power:
                if x == 0 && y < 0 { throw EvaluationError("ZeroDivisionError: 0.0 cannot be raised to a negative power") }
                if x < 0 && y != y.rounded() { throw EvaluationError("ValueError: a negative number to a fractional power is complex, which scenarios do not have") }
                let result = pow(x, y)
                if result.isInfinite && x.isFinite && y.isFinite { throw EvaluationError("OverflowError: (34, 'Numerical result out of range')") }
                return .double(result)
            case .divide, .floorDivide, .modulo:
                guard y != 0 else { throw EvaluationError("ZeroDivisionError: float \(op == .modulo ? "modulo" : "division by zero")") }
                if op == .divide { return .double(x / y) }
                // CPython's float_divmod: the remainder has the divisor's sign.
                var remainder = fmod(x, y)
                var division = (x - remainder) / y
                if remainder != 0 {
                    if (y < 0) != (remainder < 0) { remainder += y; division -= 1 }
                } else {
                    remainder = y < 0 ? -0.0 : 0.0
                }
                if op == .modulo { return .double(remainder) }
                guard division != 0 else { return .double((x / y).sign == .minus ? -0.0 : 0.0) }
                var floored = division.rounded(.down)
                if division - floored > 0.5 { floored += 1 }
                return .double(floored)
            case .less: return .bool(x < y)
            case .lessOrEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            case .greaterOrEqual, .equal, .notEqual: return .bool(x >= y)
            }
        }
    }

    static func call(_ name: String, _ arguments: [Value]) throws(EvaluationError) -> Value {
        func numbers() throws(EvaluationError) -> [Double] {
            let items: [Value]
            if arguments.count == 1, case .list(let list) = arguments[0] { items = list } else { items = arguments }
            var result: [Double] = []
            for item in items {
                guard let number = item.number else { throw EvaluationError("TypeError: \(name)() needs numbers, got '\(item.typeName)'") }
                result.append(number)
            }
            return result
        }
        switch name {
        case "range":
            let (low, high) = try rangeBounds(arguments)
            guard high <= low || !high.subtractingReportingOverflow(low).overflow && high - low <= maximumListItems else {
                throw EvaluationError("MemoryError: range(\(low), \(high)) as a list would hold over \(maximumListItems) items (a for loop takes a range lazily)")
            }
            return .list(low < high ? (low..<high).map { .int($0) } : [])
        case "len":
            switch arguments.first {
            case .list(let items)?: return .int(items.count)
            case .string(let text)?: return .int(text.count)
            default: throw EvaluationError("TypeError: len() takes a list or a string")
            }
        case "str":
            return .string(arguments.map(\.description).joined(separator: " "))
        case "sum", "min", "max":
            let items: [Value] = arguments.count == 1 && arguments[0].listItems != nil ? arguments[0].listItems! : arguments
            guard name == "sum" || !items.isEmpty else { throw EvaluationError("ValueError: \(name)() of an empty list") }
            // Integers exactly (they may pass 64 bits); with a float, floats.
            if items.allSatisfy({ PythonNumbers.integer($0) != nil && $0.number != nil }) {
                let integers = items.compactMap { PythonNumbers.integer($0) }
                let result = name == "sum" ? integers.reduce(BigInt(0), +) : name == "min" ? integers.min()! : integers.max()!
                return PythonNumbers.value(result)
            }
            let values = try numbers()
            return .double(name == "sum" ? values.reduce(0, +) : name == "min" ? values.min()! : values.max()!)
        case "lower", "upper":
            // str.lower() / str.upper(), written as functions.
            guard arguments.count == 1, case .string(let text) = arguments[0] else {
                throw EvaluationError("TypeError: \(name)() takes one string")
            }
            return .string(name == "lower" ? text.lowercased() : text.uppercased())
        case "count":
            // list.count(item): how many items equal it.
            guard arguments.count == 2, case .list(let items) = arguments[0] else {
                throw EvaluationError("TypeError: count() takes a list and an item")
            }
            return .int(items.filter { $0 == arguments[1] }.count)
        case "basename":
            guard arguments.count == 1, case .string(let path) = arguments[0] else {
                throw EvaluationError("TypeError: basename() takes one path")
            }
            return .string(path.split(separator: "/").last.map(String.init) ?? path)
        case "union":
            // union(list_of_lists) or union(a, b, …): the sorted distinct items.
            let lists: [Value] = arguments.count == 1 ? (arguments[0].listItems ?? []) : arguments
            var seen: [String: Value] = [:]
            for list in lists {
                guard let items = list.listItems else { throw EvaluationError("TypeError: union() takes lists") }
                for item in items { seen[item.repr] = item }
            }
            return .list(seen.keys.sorted().map { seen[$0]! })
        case "state":
            guard arguments.count == 1, case .future(let future) = arguments[0] else {
                throw EvaluationError("TypeError: state() takes one future")
            }
            return .string(future.state)
        case "round":
            return try PythonNumbers.round(arguments)
        default:
            throw EvaluationError("NameError: name '\(name)' is not defined")
        }
    }

    /// `range(n)` or `range(a, b)`: machine integers (Python's OverflowError past them).
    public static func rangeBounds(_ arguments: [Value]) throws(EvaluationError) -> (low: Int, high: Int) {
        guard (1...2).contains(arguments.count), arguments.allSatisfy({ PythonNumbers.integer($0) != nil }) else {
            throw EvaluationError("TypeError: range() takes 1 or 2 integers")
        }
        let bounds = try arguments.map { value throws(EvaluationError) in try PythonNumbers.machineInteger(value, "range()") }
        return bounds.count == 1 ? (0, bounds[0]) : (bounds[0], bounds[1])
    }
}

/// A binary operator, as written in the scenario (its raw value).
public enum BinaryOperator: String, Sendable, Equatable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
}

extension Expression {
    /// The longest string an expression may build (`"ab" * n`): MemoryError past it.
    public static let maximumStringBytes = 100_000_000
    /// The longest list `range()` builds outside a `for` (which takes a range lazily).
    public static let maximumListItems = 10_000_000
}

extension Value {
    var isBigInt: Bool { if case .bigInt = self { true } else { false } }

    /// As a float for arithmetic with one: nil for a non-number, Python's
    /// OverflowError for an integer too large for a float.
    var float: Double? {
        get throws(EvaluationError) {
            switch self {
            case .int(let number): return Double(number)
            case .bigInt(let number): return try PythonNumbers.float(number)
            case .double(let number): return number
            default: return nil
            }
        }
    }
}

/// An expression failed while the scenario ran (a Python-style message).
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Text with `{expression}` holes (`{{` and `}}` for braces), like an f-string.
public struct Template: Sendable, Equatable, CustomStringConvertible {
    public enum Part: Sendable, Equatable {
        case text(String)
        case hole(Expression)
    }

    public let parts: [Part]
    public let source: String

    public var names: [String] {
        parts.flatMap { part -> [String] in
            if case .hole(let expression) = part { return expression.names }
            return []
        }
    }

    public var description: String { source }

    public func render<Scope: VariableScope>(in scope: Scope) throws(EvaluationError) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .hole(let expression): text += try expression.evaluate(in: scope).description
            }
        }
        return text
    }

    /// Parses `source`; the error gives the offset (in characters) of the problem.
    public init(parsing source: String) throws(SyntaxError) {
        self.source = source
        var parts: [Part] = []
        var literal = ""
        var characters = Array(source)[...]
        var offset = 0
        while let character = characters.first {
            characters = characters.dropFirst()
            offset += 1
            if character == "{", characters.first == "{" {
                characters = characters.dropFirst(); offset += 1; literal.append("{")
            } else if character == "}", characters.first == "}" {
                characters = characters.dropFirst(); offset += 1; literal.append("}")
            } else if character == "{" {
                guard let close = characters.firstIndex(of: "}") else {
                    throw SyntaxError(message: "'{' without a closing '}'", offset: offset - 1)
                }
                let inner = String(characters[..<close])
                do {
                    let expression = try ExpressionParser.parse(inner)
                    if !literal.isEmpty { parts.append(.text(literal)); literal = "" }
                    parts.append(.hole(expression))
                } catch {
                    throw SyntaxError(message: error.message, offset: offset + error.offset)
                }
                offset += inner.count + 1
                characters = characters[characters.index(after: close)...]
            } else if character == "}" {
                throw SyntaxError(message: "single '}' (write '}}' for a brace)", offset: offset - 1)
            } else {
                literal.append(character)
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
    }
}

/// A syntax error in an expression, `offset` characters into it.
public struct SyntaxError: Error, Sendable {
    public let message: String
    public let offset: Int
}
