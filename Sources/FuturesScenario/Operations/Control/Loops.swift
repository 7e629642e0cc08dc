/// `- for: {each: x, in: items, do: […]}`.
public struct ForOperation: Operation {
    public static let key = "for"
    public static let summary = "Runs the steps once for each item of a list, the item bound to `each`."
    public static let python = "for x in items: …"
    public static let example = "- for: {each: n, in: range(5), do: [{log: \"n = {n}\"}]}"
    public static let fields = [
        Field.required("each", .name, "the loop variable"),
        .required("in", .expression, "a list"),
        .required("do", .steps, "the loop's body"),
    ]

    public var name: VariableName
    public var items: Expression
    public var body: [Step]

    public static func read(_ input: OperationInput) -> Self? {
        guard let name = input.name("each"), let items = input.expression("in") else { return nil }
        return Self(name: VariableName(name), items: items, body: input.steps("do"))
    }
    public var reads: [String] { items.names }
    public var binds: [String] { [name.text] }
    public var bodies: [Body] { [Body(body, provides: [name.text])] }
}

/// `- while: {condition: running, do: […]}` (100,000 turns at most).
public struct WhileOperation: Operation {
    public static let key = "while"
    public static let summary = "Runs the steps while the condition holds (100,000 turns at most: a runaway loop is an error)."
    public static let python = "while running: …"
    public static let example = "- while: {condition: n > 0, do: [{set: {name: n, value: n - 1}}]}"
    public static let fields = [
        Field.required("condition", .expression, "checked before each turn (Python's truth)"),
        .required("do", .steps, "the loop's body"),
    ]

    public var condition: Expression
    public var body: [Step]

    public static func read(_ input: OperationInput) -> Self? {
        input.expression("condition").map { Self(condition: $0, body: input.steps("do")) }
    }
    public var reads: [String] { condition.names }
    public var bodies: [Body] { [Body(body)] }
}

/// `- if: {condition: …, then: […], else: […]}`.
public struct IfOperation: Operation {
    public static let key = "if"
    public static let summary = "Runs `then` if the condition holds, else `else`."
    public static let python = "if item == \"STOP\": … else: …"
    public static let example = "- if: {condition: item == \"STOP\", then: [{return: 0}], else: [{log: \"{item}\"}]}"
    public static let fields = [
        Field.required("condition", .expression, "Python's truth decides"),
        .required("then", .steps, "when it holds"),
        Field("else", .steps, "otherwise"),
    ]

    public var condition: Expression
    public var then: [Step]
    public var otherwise: [Step]

    public static func read(_ input: OperationInput) -> Self? {
        input.expression("condition").map { Self(condition: $0, then: input.steps("then"), otherwise: input.steps("else")) }
    }
    public var reads: [String] { condition.names }
    public var bodies: [Body] { [Body(then, isBranch: true), Body(otherwise, isBranch: true)] }
}
