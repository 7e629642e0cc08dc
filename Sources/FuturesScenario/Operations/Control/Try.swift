/// `- try: {do: […], except: {TimeoutError: […]}}`.
public struct TryOperation: Operation {
    public static let key = "try"
    public static let summary = "Runs `do`; an error of a type named in `except` runs that handler instead, with `error` (Python's `str(error)`: the message), `error_type` (`TimeoutError`) and `error_repr` (`TimeoutError('late')`) in scope. `Exception` catches every error but a run's limit."
    public static let python = "try: … except TimeoutError as error: …"
    public static let example = "- try: {do: [{result: {of: f, timeout: 1}}], except: {TimeoutError: [{log: \"late: {error}\"}]}}"
    public static let fields = [
        Field.required("do", .steps, "the guarded steps"),
        .required("except", .mapping(key: "error type", value: .steps), "error types (`TimeoutError`, `Exception`) to their handlers"),
    ]

    public var body: [Step]
    public var handlers: [(type: String, body: [Step])]

    public static func read(_ input: OperationInput) -> Self? {
        Self(body: input.steps("do"), handlers: input.handlers("except"))
    }
    public var bodies: [Body] {
        [Body(body)] + handlers.map { Body($0.body, provides: ["error", "error_type", "error_repr"], isBranch: true) }
    }
}

/// `- measure: {name: sequential, do: […]}`.
public struct MeasureOperation: Operation {
    public static let key = "measure"
    public static let summary = "Runs the steps and records their elapsed seconds on the run's clock as a measurement and a variable."
    public static let example = "- measure: {name: sequential, do: [{call: {task: download_many}}]}"
    public static let fields = [
        Field.required("name", .name, "the measurement (and variable) name"),
        .required("do", .steps, "the steps timed"),
    ]

    public var name: String
    public var body: [Step]

    public static func read(_ input: OperationInput) -> Self? {
        input.name("name").map { Self(name: $0, body: input.steps("do")) }
    }
    public var binds: [String] { [name] }
    public var bodies: [Body] { [Body(body)] }
}
