/// Cookbook 12.13: `- select: {objects: [q1, q2, sock], timeout: 1, as: ready}`.
public struct SelectOperation: Operation {
    public static let key = "select"
    public static let summary = "Cookbook 12.13: waits until pollable queues or sockets are ready to read; binds the names of those ready (empty after the timeout)."
    public static let python = "ready, _, _ = select.select([q1, q2, sock], [], [], 1)"
    public static let example = "- select: {objects: [q1, q2, sock], timeout: 1, as: ready}"
    public static let fields = [
        Field.required("objects", .objects(ObjectSpec.Kind.selectable), "what to watch"),
        Field("timeout", .duration, default: "none", "seconds to wait at most"),
        .required("as", .name, "binds the names ready"),
    ]

    public var objects: [ObjectRef]
    public var timeout: Expression?
    public var name: String

    public static func read(_ input: OperationInput) -> Self? {
        guard let name = input.name("as"), let objects = input.objects("objects") else { return nil }
        return Self(objects: objects, timeout: input.duration("timeout"), name: name)
    }
    public var reads: [String] { timeout.names + objects.names }
    public var binds: [String] { [name] }
}

/// `- send: {to: printer, message: "Hello"}`.
public struct SendOperation: Operation {
    public static let key = "send"
    public static let summary = "A message to an actor's mailbox, every subscriber of an exchange, a socket (one datagram, as JSON), a queue, or with `actor` to an actor of an actor scheduler; `as` binds how many it reached."
    public static let python = "printer.send(\"Hello\")"
    public static let example = "- send: {to: printer, message: \"Hello\"}"
    public static let targets = ObjectSpec.Kind.actors + ObjectSpec.Kind.queues + [.socket, .exchange, .actorScheduler]
    public static let fields = [
        Field.required("to", .object(targets), "the receiver"),
        Field("actor", .expression, "with an actor scheduler: the name of one of its actors"),
        .required("message", .expression, "the message"),
        Field("as", .name, "binds how many receivers it reached"),
    ]

    public var target: ObjectRef
    public var actor: Expression?
    public var message: Expression
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        guard let target = input.object("to"), let message = input.expression("message") else { return nil }
        let actor = input.expression("actor")
        let kind = input.kind(of: target)
        if kind == .actorScheduler, actor == nil {
            input.valueError("send to actor scheduler '\(target)' needs actor: (the name of one of its actors)")
        }
        if let kind, kind != .actorScheduler, actor != nil {
            input.valueError("send.actor names an actor of an actor scheduler; '\(target)' is \(withArticle(kind.rawValue))")
        }
        return Self(target: target, actor: actor, message: message, name: input.name("as"))
    }
    public var reads: [String] { actor.names + message.names + target.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- receive: {as: message, timeout: 1}`: in an actor's task.
public struct ReceiveOperation: Operation {
    public static let key = "receive"
    public static let summary = "In an actor's task: the next message (`Empty` after the timeout); the close sentinel ends the actor quietly. In a coroutine actor, the scheduler's next message for it."
    public static let python = "msg = self.recv()  /  msg = yield"
    public static let example = "- receive: {as: message, timeout: 1}"
    public static let fields = [
        Field("timeout", .duration, default: "none", "seconds to wait at most"),
        .required("as", .name, "binds the message"),
    ]

    public var timeout: Expression?
    public var name: String

    public static func read(_ input: OperationInput) -> Self? {
        guard let name = input.name("as") else { return nil }
        if !input.inTask { input.valueError("receive: only an actor's task receives messages (main has no mailbox)") }
        return Self(timeout: input.duration("timeout"), name: name)
    }
    public var reads: [String] { timeout.names }
    public var binds: [String] { [name] }
}
