/// `- put: {queue: q, item: i, block: false}`.
public struct PutOperation: Operation {
    public static let key = "put"
    public static let summary = "Puts an item on a queue; a full bounded queue blocks (or, with `block: false` or after the timeout, raises `Full`)."
    public static let python = "q.put(i, block=True, timeout=None)"
    public static let example = "- put: {queue: q, item: i, block: false}"
    public static let fields = [
        Field.required("queue", .object(ObjectSpec.Kind.queues), "the queue"),
        .required("item", .expression, "what to put"),
        Field("block", .bool, default: "true", "wait while the queue is full"),
        Field("timeout", .duration, default: "none", "seconds to wait at most"),
    ]

    public var queue: ObjectRef
    public var item: Expression
    public var block: Bool
    public var timeout: Expression?

    public static func read(_ input: OperationInput) -> Self? {
        guard let queue = input.object("queue"), let item = input.expression("item") else { return nil }
        return Self(queue: queue, item: item, block: input.bool("block", default: true), timeout: input.duration("timeout"))
    }
    public var reads: [String] { item.names + timeout.names + queue.names }
}

/// `- get: {queue: q, timeout: 0.5, as: item}`.
public struct GetOperation: Operation {
    public static let key = "get"
    public static let summary = "Takes an item from a queue (or one datagram from a socket); an empty queue blocks (or raises `Empty`)."
    public static let python = "item = q.get(block=True, timeout=0.5)"
    public static let example = "- get: {queue: q, timeout: 0.5, as: item}"
    public static let fields = [
        Field.required("queue", .object(ObjectSpec.Kind.queues + [.socket]), "the queue or socket"),
        Field("block", .bool, default: "true", "wait while it is empty"),
        Field("timeout", .duration, default: "none", "seconds to wait at most"),
        .required("as", .name, "binds the item"),
    ]

    public var queue: ObjectRef
    public var block: Bool
    public var timeout: Expression?
    public var name: String

    public static func read(_ input: OperationInput) -> Self? {
        guard let queue = input.object("queue"), let name = input.name("as") else { return nil }
        return Self(queue: queue, block: input.bool("block", default: true), timeout: input.duration("timeout"), name: name)
    }
    public var reads: [String] { timeout.names + queue.names }
    public var binds: [String] { [name] }
}

/// `- task_done: q`.
public struct TaskDoneOperation: ObjectOperation {
    public static let key = "task_done"
    public static let summary = "Marks one item taken from the queue as processed."
    public static let python = "q.task_done()"
    public static let example = "- task_done: q"
    public static let kinds = ObjectSpec.Kind.queues
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// `- join_queue: q`.
public struct JoinQueueOperation: ObjectOperation {
    public static let key = "join_queue"
    public static let summary = "Waits until every item put on the queue has been marked done."
    public static let python = "q.join()"
    public static let example = "- join_queue: q"
    public static let kinds = ObjectSpec.Kind.queues
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// `- local_set: {local: l, value: name}`.
public struct LocalSetOperation: Operation {
    public static let key = "local_set"
    public static let summary = "Sets this thread's value of a thread-local."
    public static let python = "l.value = name"
    public static let example = "- local_set: {local: l, value: name}"
    public static let fields = [
        Field.required("local", .object([.threadLocal]), "the thread-local"),
        .required("value", .expression, "this thread's value"),
    ]

    public var local: ObjectRef
    public var value: Expression

    public static func read(_ input: OperationInput) -> Self? {
        guard let local = input.object("local"), let value = input.expression("value") else { return nil }
        return Self(local: local, value: value)
    }
    public var reads: [String] { value.names + local.names }
}

/// `- local_get: {local: l, as: mine}`.
public struct LocalGetOperation: Operation {
    public static let key = "local_get"
    public static let summary = "Binds this thread's value of a thread-local (None if it set none)."
    public static let python = "mine = getattr(l, 'value', None)"
    public static let example = "- local_get: {local: l, as: mine}"
    public static let fields = [
        Field.required("local", .object([.threadLocal]), "the thread-local"),
        .required("as", .name, "binds the value"),
    ]

    public var local: ObjectRef
    public var name: String

    public static func read(_ input: OperationInput) -> Self? {
        guard let local = input.object("local"), let name = input.name("as") else { return nil }
        return Self(local: local, name: name)
    }
    public var reads: [String] { local.names }
    public var binds: [String] { [name] }
}
