/// `- submit: {executor: pool, task: loiter, args: [3], as: f}`.
public struct SubmitOperation: Operation {
    public static let key = "submit"
    public static let summary = "Submits a call of a task to an executor; binds its future. `label` overrides the task's label."
    public static let python = "f = pool.submit(loiter, 3)"
    public static let example = "- submit: {executor: pool, task: loiter, args: [3], label: \"slow\", as: f}"
    public static let fields = [
        Field.required("executor", .executor, "the executor"),
        .required("task", .task, "the task called"),
        Field("args", .arguments, "the call's arguments"),
        Field("label", .template, default: "the task's", "how the future is named"),
        Field("as", .name, "binds the future"),
    ]

    public var executor: String
    public var task: String
    public var arguments: [Expression]
    public var label: Template?
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        let arguments = input.arguments()
        guard let executor = input.executor(), let task = input.task(arguments: arguments.count) else { return nil }
        return Self(executor: executor, task: task, arguments: arguments, label: input.template("label"), name: input.name("as"))
    }
    public var reads: [String] { arguments.names + label.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- call: {task: download, args: [n], as: r}`: on the current thread.
public struct CallOperation: Operation {
    public static let key = "call"
    public static let summary = "Calls a task directly on the current thread (the sequential version); binds its return value."
    public static let python = "r = download(n)"
    public static let example = "- call: {task: download, args: [n], as: r}"
    public static let fields = [
        Field.required("task", .task, "the task called"),
        Field("args", .arguments, "the call's arguments"),
        Field("as", .name, "binds the return value"),
    ]

    public var task: String
    public var arguments: [Expression]
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        let arguments = input.arguments()
        return input.task(arguments: arguments.count).map { Self(task: $0, arguments: arguments, name: input.name("as")) }
    }
    public var reads: [String] { arguments.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- map: {executor: pool, task: loiter, over: range(5), as: results}`.
public struct MapOperation: Operation {
    public static let key = "map"
    public static let summary = "`executor.map(task, items, timeout=…)`: each item is one argument. Without `do`, `as` binds the list of results; with it, `as` names each result in turn, in input order, as the loop takes it."
    public static let python = "results = list(pool.map(loiter, range(5), timeout=2.5))  /  for result in pool.map(…): …"
    public static let example = "- map: {executor: pool, task: loiter, over: range(5), timeout: 2.5, as: results}"
    public static let fields = [
        Field.required("executor", .executor, "the executor"),
        .required("task", .task, "a task of one parameter"),
        .required("over", .expression, "the items, one call each"),
        Field("timeout", .duration, "seconds from the call for all results"),
        Field("as", .name, "binds the results (or each result, with `do`)"),
        Field("do", .steps, "a loop over the results as they are taken"),
    ]

    public var executor: String
    public var task: String
    public var items: Expression
    public var timeout: Expression?
    public var name: String?
    public var body: [Step]?

    public static func read(_ input: OperationInput) -> Self? {
        guard let executor = input.executor(), let task = input.task(arguments: 1), let items = input.expression("over") else { return nil }
        let body = input.has("do") ? input.steps("do") : nil
        if body != nil, !input.has("as") { input.error("map with 'do' needs 'as' (the name of each result)") }
        return Self(executor: executor, task: task, items: items, timeout: input.duration("timeout"), name: input.name("as"), body: body)
    }
    public var reads: [String] { items.names + timeout.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
    public var bodies: [Body] { body.map { [Body($0, provides: name.map { [$0] } ?? [])] } ?? [] }
}
