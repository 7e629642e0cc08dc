/// `- as_completed: {futures: to_do, timeout: 5, as: future, do: […]}`.
public struct AsCompletedOperation: Operation {
    public static let key = "as_completed"
    public static let summary = "Runs the steps for each future as it completes (first done, first taken); `TimeoutError` if some are not done in time."
    public static let python = "for future in as_completed(to_do, timeout=5): …"
    public static let example = "- as_completed: {futures: to_do, timeout: 5, as: future, do: [{result: {of: future, as: r}}]}"
    public static let fields = [
        Field.required("futures", .expression, "a list of futures"),
        Field("timeout", .duration, default: "none", "seconds from the call"),
        Field("as", .name, default: "future", "names each future in turn"),
        .required("do", .steps, "the loop's body"),
    ]

    public var futures: Expression
    public var timeout: Expression?
    public var each: String
    public var body: [Step]

    public static func read(_ input: OperationInput) -> Self? {
        guard let futures = input.expression("futures") else { return nil }
        return Self(futures: futures, timeout: input.duration("timeout"), each: input.name("as") ?? "future", body: input.steps("do"))
    }
    public var reads: [String] { futures.names + timeout.names }
    public var binds: [String] { [each] }
    public var bodies: [Body] { [Body(body, provides: [each])] }
}

/// `- wait: {futures: fs, return_when: FIRST_COMPLETED, done: d, not_done: nd}`.
public struct WaitOperation: Operation {
    public static let key = "wait"
    public static let summary = "Waits until the condition `return_when` names holds (or the timeout); binds the done and the not-done futures."
    public static let python = "d, nd = wait(fs, timeout=1, return_when=FIRST_COMPLETED)"
    public static let example = "- wait: {futures: fs, timeout: 1, return_when: FIRST_COMPLETED, done: d, not_done: nd}"
    public static let returnWhen = ["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"]
    public static let fields = [
        Field.required("futures", .expression, "a list of futures"),
        Field("timeout", .duration, default: "none", "seconds to wait at most"),
        Field("return_when", .choice(returnWhen), default: "ALL_COMPLETED", "when to return"),
        Field("done", .name, "binds the done futures"),
        Field("not_done", .name, "binds the others"),
    ]

    public var futures: Expression
    public var timeout: Expression?
    public var returnWhen: String
    public var done: String?
    public var notDone: String?

    public static func read(_ input: OperationInput) -> Self? {
        guard let futures = input.expression("futures") else { return nil }
        return Self(futures: futures, timeout: input.duration("timeout"), returnWhen: input.choice("return_when", default: "ALL_COMPLETED"),
                    done: input.name("done"), notDone: input.name("not_done"))
    }
    public var reads: [String] { futures.names + timeout.names }
    public var binds: [String] { [done, notDone].compactMap { $0 } }
}
