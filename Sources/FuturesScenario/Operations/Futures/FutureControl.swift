/// `- cancel: {future: f, as: ok}`.
public struct CancelOperation: Operation {
    public static let key = "cancel"
    public static let summary = "Cancels a future that has not started; binds whether it did."
    public static let python = "ok = f.cancel()"
    public static let example = "- cancel: {future: f, as: ok}"
    public static let fields = [
        Field.required("future", .expression, "the future"),
        Field("as", .name, "binds True if it was cancelled"),
    ]
    public static let form = OperationForm.mappingOrValue("future")

    public var future: Expression
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        input.expression("future").map { Self(future: $0, name: input.name("as")) }
    }
    public var reads: [String] { future.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- add_done_callback: {future: f, log: "done: {future}"}`.
public struct AddDoneCallbackOperation: Operation {
    public static let key = "add_done_callback"
    public static let summary = "A callback that logs a line, with `future` in scope; it runs on the thread that finishes the future, or at once if it is done."
    public static let python = "f.add_done_callback(lambda future: display(…))"
    public static let example = "- add_done_callback: {future: f, log: \"done: {future}\"}"
    public static let fields = [
        Field.required("future", .expression, "the future"),
        .required("log", .template, "the line the callback logs (`future` is in scope)"),
    ]

    public var future: Expression
    public var log: Template

    public static func read(_ input: OperationInput) -> Self? {
        guard let future = input.expression("future"), let log = input.template("log") else { return nil }
        return Self(future: future, log: log)
    }
    /// The callback's log reads its own `future`, and the rest from here.
    public var reads: [String] { future.names + log.names.filter { $0 != "future" } }
}

/// `- shutdown: {executor: pool, wait: true, cancel_futures: false}`.
public struct ShutdownOperation: Operation {
    public static let key = "shutdown"
    public static let summary = "Shuts an executor down; `wait` waits for its work, `cancel_futures` cancels what has not started."
    public static let python = "pool.shutdown(wait=True, cancel_futures=False)"
    public static let example = "- shutdown: {executor: pool, wait: true, cancel_futures: false}"
    public static let fields = [
        Field.required("executor", .executor, "the executor"),
        Field("wait", .bool, default: "true", "wait for running and queued work"),
        Field("cancel_futures", .bool, default: "false", "cancel the futures not started"),
    ]
    public static let form = OperationForm.mappingOrValue("executor")

    public var executor: String
    public var wait: Bool
    public var cancelFutures: Bool

    public static func read(_ input: OperationInput) -> Self? {
        input.executor().map { Self(executor: $0, wait: input.bool("wait", default: true), cancelFutures: input.bool("cancel_futures", default: false)) }
    }
}
