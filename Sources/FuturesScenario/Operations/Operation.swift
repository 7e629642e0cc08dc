/// One scenario operation: its YAML key, its fields, how it is read, the
/// names it reads and binds, and the steps it contains.
///
/// Everything the project knows about an operation lives with its type: the
/// reader (`read`), the scope checker (`reads`, `binds`, `bodies`), the
/// generated JSON Schema and operation reference (`fields`, `summary`,
/// `python`, `example`), and — in `FuturesRunner` — how it runs. Adding an
/// operation is one file here, one in the runner and one line in
/// `OperationRegistry.all`.
///
/// Why types and not one enum: a 58-case enum spread every operation over
/// ten switches in eight files (the builder, the scope checker twice, the
/// interpreter and its routing, the schema, the docs), and a forgotten case
/// became a silent `default: break`. argument-parser lists subcommands the
/// same way: each is a type, one list names them all.
public protocol Operation: Sendable, CustomStringConvertible {
    /// The key a step writes: `- submit: {…}`.
    static var key: String { get }
    /// What it does, in one sentence (the reference and the schema's description).
    static var summary: String { get }
    /// The Python it stands for, if any: `f = pool.submit(fn, *args)`.
    static var python: String { get }
    /// One example step, as YAML.
    static var example: String { get }
    /// The fields a mapping may have, in the order they are documented and
    /// listed in error messages.
    static var fields: [Field] { get }
    /// How a step writes it (a mapping, a bare value, or either).
    static var form: OperationForm { get }

    /// Reads the step from its fields; nil after recording a diagnostic.
    static func read(_ input: OperationInput) -> Self?

    /// The variable names this step reads where it stands (not in its bodies).
    var reads: [String] { get }
    /// The names it binds, in scope after the step.
    var binds: [String] { get }
    /// The step lists it contains, with the names each sees.
    var bodies: [Body] { get }
}

extension Operation {
    public static var python: String { "" }
    public static var form: OperationForm { .mapping }
    public var reads: [String] { [] }
    public var binds: [String] { [] }
    public var bodies: [Body] { [] }
    public var key: String { Self.key }
    public var description: String { Self.key }
}

/// How a step writes an operation's value.
public enum OperationForm: Sendable, Equatable {
    /// `{field: value, …}` only.
    case mapping
    /// A bare value that is the one field named (`- sleep: 1`).
    case value(String)
    /// Either a mapping or a bare value standing for the field named
    /// (`- result: f` is `- result: {of: f}`).
    case mappingOrValue(String)
    /// Nothing: `- yield:`.
    case empty
}

/// A nested list of steps (`do`, `then`, `except`), and what it sees.
public struct Body: Sendable {
    public var steps: [Step]
    /// Names defined inside the body only: a loop's variable, a handler's `error`.
    public var provides: [String]
    /// A branch runs or not (`if`'s arms, `try`'s handlers): it is checked on
    /// a copy of the scope, and what it binds joins the scope afterwards.
    public var isBranch: Bool

    public init(_ steps: [Step], provides: [String] = [], isBranch: Bool = false) {
        self.steps = steps
        self.provides = provides
        self.isBranch = isBranch
    }
}

/// An operand naming an object: the object itself, or a variable (a task's
/// parameter) that holds an object's name, resolved when the step runs.
public enum ObjectRef: Sendable, Equatable, CustomStringConvertible {
    case object(String)
    case variable(String)

    /// The variable it reads, if any.
    public var names: [String] {
        if case .variable(let name) = self { return [name] }
        return []
    }

    public var description: String {
        switch self {
        case .object(let name), .variable(let name): name
        }
    }
}

extension Array where Element == ObjectRef {
    public var names: [String] { flatMap(\.names) }
}

extension Optional where Wrapped == Expression {
    /// The names an optional expression reads.
    public var names: [String] { self?.names ?? [] }
}

extension Optional where Wrapped == Template {
    public var names: [String] { self?.names ?? [] }
}

extension Array where Element == Expression {
    public var names: [String] { flatMap(\.names) }
}
