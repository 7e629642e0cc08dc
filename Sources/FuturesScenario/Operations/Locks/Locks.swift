extension ObjectSpec.Kind {
    /// What `acquire`, `release` and `with` take.
    public static let acquirable: [ObjectSpec.Kind] = [.lock, .rlock, .condition, .semaphore, .boundedSemaphore]
}

/// `- acquire: {object: gate, timeout: 1, as: ok}`.
public struct AcquireOperation: Operation {
    public static let key = "acquire"
    public static let summary = "Acquires a lock, rlock, condition or semaphore, waiting up to a timeout; binds whether it did."
    public static let python = "ok = gate.acquire(timeout=1)"
    public static let example = "- acquire: {object: gate, timeout: 1, as: ok}"
    public static let fields = [
        Field.required("object", .object(ObjectSpec.Kind.acquirable), "what to acquire"),
        Field("timeout", .duration, default: "none", "seconds to wait at most"),
        Field("as", .name, "binds True if acquired"),
    ]
    public static let form = OperationForm.mappingOrValue("object")

    public var object: ObjectRef
    public var timeout: Expression?
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        input.object("object").map { Self(object: $0, timeout: input.duration("timeout"), name: input.name("as")) }
    }
    public var reads: [String] { timeout.names + object.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- release: gate`.
public struct ReleaseOperation: ObjectOperation {
    public static let key = "release"
    public static let summary = "Releases a lock, rlock, condition or semaphore."
    public static let python = "gate.release()"
    public static let example = "- release: gate"
    public static let kinds = ObjectSpec.Kind.acquirable
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// `- with: {object: lock, do: […]}`.
public struct WithOperation: Operation {
    public static let key = "with"
    public static let summary = "Acquires the object, runs the steps, and releases it however they end."
    public static let python = "with lock: …"
    public static let example = "- with: {object: lock, do: [{log: \"inside\"}]}"
    public static let fields = [
        Field.required("object", .object(ObjectSpec.Kind.acquirable), "what to hold"),
        .required("do", .steps, "the steps run while holding it"),
    ]

    public var object: ObjectRef
    public var body: [Step]

    public static func read(_ input: OperationInput) -> Self? {
        input.object("object").map { Self(object: $0, body: input.steps("do")) }
    }
    public var reads: [String] { object.names }
    public var bodies: [Body] { [Body(body)] }
}

/// Cookbook 12.5: `- ordered: {locks: [x, y], do: […]}`.
public struct OrderedOperation: Operation {
    public static let key = "ordered"
    public static let summary = "Cookbook 12.5's `with acquire(x, y):` — the locks in one global order; nested out of order raises the recipe's `RuntimeError('Lock Order Violation')`."
    public static let python = "with acquire(x, y): …"
    public static let example = "- ordered: {locks: [x, y], do: [{log: \"both\"}]}"
    public static let fields = [
        Field.required("locks", .objects([.lock]), "the locks"),
        .required("do", .steps, "the steps run while holding them"),
    ]

    public var locks: [ObjectRef]
    public var body: [Step]

    public static func read(_ input: OperationInput) -> Self? {
        input.objects("locks").map { Self(locks: $0, body: input.steps("do")) }
    }
    public var reads: [String] { locks.names }
    public var bodies: [Body] { [Body(body)] }
}
