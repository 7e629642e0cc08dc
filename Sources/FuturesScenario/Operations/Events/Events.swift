/// `- event_set: started`.
public struct EventSetOperation: ObjectOperation {
    public static let key = "event_set"
    public static let summary = "Sets an event: every waiter wakes, later waits return at once."
    public static let python = "started.set()"
    public static let example = "- event_set: started"
    public static let kinds: [ObjectSpec.Kind] = [.event]
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// `- event_clear: started`.
public struct EventClearOperation: ObjectOperation {
    public static let key = "event_clear"
    public static let summary = "Clears an event."
    public static let python = "started.clear()"
    public static let example = "- event_clear: started"
    public static let kinds: [ObjectSpec.Kind] = [.event]
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// A wait on an event or a condition, up to a timeout; binds whether it
/// ended by a set or a notify.
public protocol TimedWaitOperation: Operation {
    static var kind: ObjectSpec.Kind { get }
    var object: ObjectRef { get }
    var timeout: Expression? { get }
    var name: String? { get }
    init(object: ObjectRef, timeout: Expression?, name: String?)
}

extension TimedWaitOperation {
    public static var fields: [Field] {
        [
            Field.required(kind.rawValue, .object([kind]), "the \(kind.rawValue)"),
            Field("timeout", .duration, default: "none", "seconds to wait at most"),
            Field("as", .name, "binds False after a timeout, else True"),
        ]
    }
    public static var form: OperationForm { .mappingOrValue(kind.rawValue) }

    public static func read(_ input: OperationInput) -> Self? {
        input.object(kind.rawValue).map { Self(object: $0, timeout: input.duration("timeout"), name: input.name("as")) }
    }
    public var reads: [String] { timeout.names + object.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- event_wait: {event: started, timeout: 5, as: ok}`.
public struct EventWaitOperation: TimedWaitOperation {
    public static let key = "event_wait"
    public static let summary = "Waits until an event is set, up to a timeout."
    public static let python = "ok = started.wait(timeout=5)"
    public static let example = "- event_wait: {event: started, timeout: 5, as: ok}"
    public static let kind = ObjectSpec.Kind.event
    public var object: ObjectRef
    public var timeout: Expression?
    public var name: String?
    public init(object: ObjectRef, timeout: Expression?, name: String?) { (self.object, self.timeout, self.name) = (object, timeout, name) }
}

/// `- condition_wait: {condition: c, timeout: 1}` (hold it with `with`).
public struct ConditionWaitOperation: TimedWaitOperation {
    public static let key = "condition_wait"
    public static let summary = "Waits to be notified, up to a timeout: lets the condition's lock go meanwhile (hold it with `with`)."
    public static let python = "ok = c.wait(timeout=1)"
    public static let example = "- condition_wait: {condition: c, timeout: 1, as: ok}"
    public static let kind = ObjectSpec.Kind.condition
    public var object: ObjectRef
    public var timeout: Expression?
    public var name: String?
    public init(object: ObjectRef, timeout: Expression?, name: String?) { (self.object, self.timeout, self.name) = (object, timeout, name) }
}

/// `- notify: {condition: c, n: 2}`.
public struct NotifyOperation: Operation {
    public static let key = "notify"
    public static let summary = "Wakes up to `n` threads waiting on a condition (hold it with `with`)."
    public static let python = "c.notify(2)"
    public static let example = "- notify: {condition: c, n: 2}"
    public static let fields = [
        Field.required("condition", .object([.condition]), "the condition"),
        Field("n", .count, default: "1", "how many waiters to wake"),
    ]
    public static let form = OperationForm.mappingOrValue("condition")

    public var condition: ObjectRef
    public var count: Expression?

    public static func read(_ input: OperationInput) -> Self? {
        input.object("condition").map { Self(condition: $0, count: input.expression("n")) }
    }
    public var reads: [String] { count.names + condition.names }
}

/// `- notify_all: c`.
public struct NotifyAllOperation: Operation {
    public static let key = "notify_all"
    public static let summary = "Wakes every thread waiting on a condition (hold it with `with`)."
    public static let python = "c.notify_all()"
    public static let example = "- notify_all: c"
    public static let fields = [Field.required("condition", .object([.condition]), "the condition")]
    public static let form = OperationForm.mappingOrValue("condition")

    public var condition: ObjectRef

    public static func read(_ input: OperationInput) -> Self? { input.object("condition").map(Self.init) }
    public var reads: [String] { condition.names }
}
