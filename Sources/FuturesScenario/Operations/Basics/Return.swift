/// `- return: n * 10`: a task's return value.
public struct ReturnOperation: Operation {
    public static let key = "return"
    public static let summary = "The task's return value (tasks only)."
    public static let python = "return n * 10"
    public static let example = "- return: n * 10"
    public static let fields = [Field.required("value", .expression, "the value returned")]
    public static let form = OperationForm.value("value")

    public var value: Expression

    public static func read(_ input: OperationInput) -> Self? {
        if !input.inTask { input.error("'return' belongs in a task's steps, not in main") }
        return input.expression("value").map(Self.init)
    }
    public var reads: [String] { value.names }
}

/// `- raise: {type: ValueError, message: "bad {x}"}`.
public struct RaiseOperation: Operation {
    public static let key = "raise"
    public static let summary = "Raises an error of a Python type with a message; a bare message raises `Exception`."
    public static let python = "raise ValueError(f\"bad {x}\")"
    public static let example = "- raise: {type: ValueError, message: \"bad {x}\"}"
    public static let fields = [
        Field("type", .name, default: "Exception", "the error's Python type name"),
        .required("message", .template, "the message, with {expression} holes"),
    ]
    public static let form = OperationForm.mappingOrValue("message")

    public var type: String
    public var message: Template

    public static func read(_ input: OperationInput) -> Self? {
        let type = input.has("type") ? input.name("type") : "Exception"
        guard let type, let message = input.template("message") else { return nil }
        return Self(type: type, message: message)
    }
    public var reads: [String] { message.names }
}
