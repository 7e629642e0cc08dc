/// `- set: {name: i, value: 0}`: `i = 0`; in a task, `global: true` writes
/// main's variable (Python's `global i`).
public struct SetOperation: Operation {
    public static let key = "set"
    public static let summary = "Binds a variable; in a task, `global: true` writes main's variable instead of a local."
    public static let python = "i = 0  (global i; i = 0)"
    public static let example = "- set: {name: total, value: total + 1}"
    public static let fields = [
        Field.required("name", .name, "the variable"),
        .required("value", .expression, "its new value"),
        Field("global", .bool, default: "false", "in a task: write main's variable (`global name`)"),
    ]

    /// Its hash made once: a `set` runs in every loop.
    public var name: VariableName
    public var value: Expression
    public var global: Bool

    public static func read(_ input: OperationInput) -> Self? {
        guard let name = input.name("name"), let value = input.expression("value") else { return nil }
        return Self(name: VariableName(name), value: value, global: input.bool("global", default: false))
    }
    public var reads: [String] { value.names }
    public var binds: [String] { [name.text] }
}

/// `- record: {name: speedup, value: a / b}`: a named number for the summary.
public struct RecordOperation: Operation {
    public static let key = "record"
    public static let summary = "Records a named number: a measurement in the summary, and a variable."
    public static let example = "- record: {name: speedup_pool, value: sequential / pool_of_20}"
    public static let fields = [
        Field.required("name", .name, "the measurement (and variable) name"),
        .required("value", .expression, "a number"),
    ]

    public var name: String
    public var value: Expression

    public static func read(_ input: OperationInput) -> Self? {
        guard let name = input.name("name"), let value = input.expression("value") else { return nil }
        return Self(name: name, value: value)
    }
    public var reads: [String] { value.names }
    public var binds: [String] { [name] }
}

/// `- now: t`: seconds since the run started, on the run's clock.
public struct NowOperation: Operation {
    public static let key = "now"
    public static let summary = "Binds the seconds since the run started, on the run's clock (virtual in the deterministic runtime)."
    public static let python = "t = time.monotonic()"
    public static let example = "- now: t"
    public static let fields = [Field.required("as", .name, "the variable")]
    public static let form = OperationForm.mappingOrValue("as")

    public var name: String

    public static func read(_ input: OperationInput) -> Self? { input.name("as").map(Self.init) }
    public var binds: [String] { [name] }
}
