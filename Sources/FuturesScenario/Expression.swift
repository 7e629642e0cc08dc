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
            case .int(let number): return .int(-number)
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
            case .add: return .int(x &+ y)
            case .subtract: return .int(x &- y)
            case .multiply: return .int(x &* y)
            case .divide:
                guard y != 0 else { throw EvaluationError("ZeroDivisionError: division by zero") }
                return .double(Double(x) / Double(y))
            case .floorDivide, .modulo:
                guard y != 0 else { throw EvaluationError("ZeroDivisionError: integer division or modulo by zero") }
                let quotient = Int((Double(x) / Double(y)).rounded(.down))
                return .int(op == .floorDivide ? quotient : x - quotient * y)
            case .less: return .bool(x < y)
            case .lessOrEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            case .greaterOrEqual, .equal, .notEqual: return .bool(x >= y)
            }
        }
        switch (op, a, b) {
        case let (.add, .string(x), .string(y)): return .string(x + y)
        case let (.add, .list(x), .list(y)): return .list(x + y)
        case let (.multiply, .string(x), .int(n)): return .string(String(repeating: x, count: max(0, n)))
        default:
            guard let x = a.number, let y = b.number else {
                throw EvaluationError("TypeError: unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
            }
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .divide, .floorDivide, .modulo:
                guard y != 0 else { throw EvaluationError("ZeroDivisionError: float division by zero") }
                if op == .divide { return .double(x / y) }
                let quotient = (x / y).rounded(.down)
                return .double(op == .floorDivide ? quotient : x - quotient * y)
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
            let ints = arguments.compactMap { if case .int(let n) = $0 { n } else { nil } }
            guard ints.count == arguments.count, (1...2).contains(ints.count) else {
                throw EvaluationError("TypeError: range() takes 1 or 2 integers")
            }
            let (low, high) = ints.count == 1 ? (0, ints[0]) : (ints[0], ints[1])
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
            let values = try numbers()
            let allInts = arguments.allSatisfy {
                if case .list(let items) = $0 { return items.allSatisfy { if case .int = $0 { true } else { false } } }
                if case .int = $0 { return true }
                return false
            }
            guard name == "sum" || !values.isEmpty else { throw EvaluationError("ValueError: \(name)() of an empty list") }
            let result = name == "sum" ? values.reduce(0, +) : name == "min" ? values.min()! : values.max()!
            return allInts ? .int(Int(result)) : .double(result)
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
            guard let first = arguments.first?.number else { throw EvaluationError("TypeError: round() takes a number") }
            if arguments.count > 1, case .int(let digits) = arguments[1] {
                let scale = pow10(digits)
                return .double((first * scale).rounded() / scale)
            }
            return .int(Int(first.rounded()))
        default:
            throw EvaluationError("NameError: name '\(name)' is not defined")
        }
    }

    private static func pow10(_ digits: Int) -> Double {
        (0..<max(0, digits)).reduce(1.0) { value, _ in value * 10 }
    }
}

/// A binary operator, as written in the scenario (its raw value).
public enum BinaryOperator: String, Sendable, Equatable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%"
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
