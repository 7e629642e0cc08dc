/// One field of an operation (or of a section of the file): its key, its
/// type, whether it is required, its default and a line of documentation.
/// The reader checks keys against these; the schema and the reference are
/// generated from them.
public struct Field: Sendable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    /// The default in words, for the reference (`true`, `ALL_COMPLETED`).
    public var defaultValue: String?
    public var doc: String

    public init(_ name: String, _ type: FieldType, required: Bool = false, default defaultValue: String? = nil, _ doc: String) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.doc = doc
    }

    public static func required(_ name: String, _ type: FieldType, _ doc: String) -> Field {
        Field(name, type, required: true, doc)
    }
}

/// What a field holds, as the reader checks it and the schema describes it.
public indirect enum FieldType: Sendable {
    /// A value or an expression (`3`, `n * 10`, `"text"`, `"= a + b"`, a list).
    case expression
    /// Seconds: a number ≥ 0 or an expression.
    case duration
    /// A whole number ≥ 0 or an expression.
    case count
    /// Text with `{expression}` holes, like an f-string.
    case template
    /// Plain text.
    case text
    /// A name the step binds (letters, digits, `_`).
    case name
    case bool
    /// A whole number, at least `minimum`.
    case integer(minimum: Int?)
    /// A number, above or at least `minimum`.
    case number(minimum: Double?, exclusive: Bool)
    /// A share from 0 to 1.
    case fraction
    /// A parameter's literal value: a whole number, a number, true / false or text.
    case paramValue
    /// One of these words.
    case choice([String])
    /// A list of steps.
    case steps
    /// The name of one of the scenario's executors.
    case executor
    /// The name of one of the scenario's tasks.
    case task
    /// The name of an object of one of these kinds (or a variable holding one).
    case object([ObjectSpec.Kind])
    /// A list of such names.
    case objects([ObjectSpec.Kind])
    /// Arguments of a call: a list of expressions, or one bare.
    case arguments
    /// A list of these.
    case list(FieldType)
    /// A mapping from names (error types, tags, labels) to these.
    case mapping(key: String, value: FieldType)
    /// A mapping with these fields.
    case record([Field])
    /// One expectation (`expect`'s items).
    case expectation
}

extension FieldType {
    /// The type in words, for the reference.
    public var summary: String {
        switch self {
        case .expression: "expression"
        case .duration: "seconds"
        case .count: "count"
        case .template: "text with {holes}"
        case .text: "text"
        case .name: "name"
        case .bool: "true/false"
        case .integer(let minimum): minimum.map { "whole number ≥ \($0)" } ?? "whole number"
        case .number(let minimum, let exclusive):
            minimum.map { "number \(exclusive ? ">" : "≥") \(Value.format($0))" } ?? "number"
        case .fraction: "number 0–1"
        case .paramValue: "number, true / false or text"
        case .choice(let words): words.joined(separator: " \\| ")
        case .steps: "steps"
        case .executor: "executor"
        case .task: "task"
        case .object(let kinds): kinds.map(\.rawValue).joined(separator: " \\| ")
        case .objects(let kinds): "list of " + kinds.map(\.rawValue).joined(separator: " \\| ")
        case .arguments: "arguments"
        case .list(let item): "list of \(item.summary)"
        case .mapping(let key, let value): "mapping \(key) → \(value.summary)"
        case .record(let fields): "{" + fields.map(\.name).joined(separator: ", ") + "}"
        case .expectation: "expectation"
        }
    }
}
