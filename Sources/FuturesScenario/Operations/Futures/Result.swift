/// `result` and `exception`: a future's outcome, waiting up to a timeout.
public protocol FutureOutcomeOperation: Operation {
    var future: Expression { get }
    var timeout: Expression? { get }
    var name: String? { get }
    init(future: Expression, timeout: Expression?, name: String?)
}

extension FutureOutcomeOperation {
    public static var fields: [Field] {
        [
            Field.required("of", .expression, "the future"),
            Field("timeout", .duration, default: "none", "seconds to wait (`TimeoutError` after)"),
            Field("as", .name, "binds the outcome"),
        ]
    }
    public static var form: OperationForm { .mappingOrValue("of") }

    public static func read(_ input: OperationInput) -> Self? {
        input.expression("of").map { Self(future: $0, timeout: input.duration("timeout"), name: input.name("as")) }
    }
    public var reads: [String] { future.names + timeout.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- result: {of: f, timeout: 1, as: value}`.
public struct ResultOperation: FutureOutcomeOperation {
    public static let key = "result"
    public static let summary = "Waits for a future (or an AsyncResult: its `get`) and binds its result; its error is raised here, and after the timeout TimeoutError."
    public static let python = "value = f.result(timeout=1)  /  value = r.get(timeout=1)"
    public static let example = "- result: {of: f, timeout: 1, as: value}"
    public var future: Expression
    public var timeout: Expression?
    public var name: String?
    public init(future: Expression, timeout: Expression?, name: String?) { (self.future, self.timeout, self.name) = (future, timeout, name) }
}

/// `- exception: {of: f, as: error}`.
public struct ExceptionOperation: FutureOutcomeOperation {
    public static let key = "exception"
    public static let summary = "Waits for a future and binds its error's repr (`ValueError('…')`), or None."
    public static let python = "error = f.exception(timeout=1)"
    public static let example = "- exception: {of: f, timeout: 1, as: error}"
    public var future: Expression
    public var timeout: Expression?
    public var name: String?
    public init(future: Expression, timeout: Expression?, name: String?) { (self.future, self.timeout, self.name) = (future, timeout, name) }
}
