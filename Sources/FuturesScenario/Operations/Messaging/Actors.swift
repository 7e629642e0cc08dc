/// `- start_actor: printer`.
public struct StartActorOperation: ObjectOperation {
    public static let key = "start_actor"
    public static let summary = "Starts an actor's thread."
    public static let python = "printer.start()"
    public static let example = "- start_actor: printer"
    public static let kinds = ObjectSpec.Kind.actors
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// `- close: printer`.
public struct CloseOperation: ObjectOperation {
    public static let key = "close"
    public static let summary = "Closes an actor (its sentinel: messages sent before it are still taken; a send after it raises `RuntimeError`), a pollable queue (later puts raise `ValueError`) or a socket."
    public static let python = "printer.close()"
    public static let example = "- close: printer"
    public static let kinds = ObjectSpec.Kind.actors + ObjectSpec.Kind.selectable
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// `- join_actor: printer`.
public struct JoinActorOperation: ObjectOperation {
    public static let key = "join_actor"
    public static let summary = "Waits for an actor's thread to end. Actors still open when main ends are closed and joined."
    public static let python = "printer.join()"
    public static let example = "- join_actor: printer"
    public static let kinds = ObjectSpec.Kind.actors
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}

/// Cookbook 12.10: `- actor_submit: {actor: worker, task: add, args: [2, 3], as: r}`.
public struct ActorSubmitOperation: Operation {
    public static let key = "actor_submit"
    public static let summary = "Cookbook 12.10: a worker actor's `submit`; the result handle is a future (an error fails only that call)."
    public static let python = "r = worker.submit(add, 2, 3)"
    public static let example = "- actor_submit: {actor: worker, task: add, args: [2, 3], as: r}"
    public static let fields = [
        Field.required("actor", .object([.workerActor]), "the worker actor"),
        .required("task", .task, "the task called"),
        Field("args", .arguments, "its arguments"),
        Field("label", .template, default: "the task's", "how the future is named"),
        Field("as", .name, "binds the future"),
    ]

    public var actor: ObjectRef
    public var task: String
    public var arguments: [Expression]
    public var label: Template?
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        guard let actor = input.object("actor") else { return nil }
        let arguments = input.arguments()
        guard let task = input.task(arguments: arguments.count) else { return nil }
        return Self(actor: actor, task: task, arguments: arguments, label: input.template("label"), name: input.name("as"))
    }
    public var reads: [String] { arguments.names + label.names + actor.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// Cookbook 12.12: `- new_actor: {scheduler: sched, name: "printer", task: printer}`.
public struct NewActorOperation: Operation {
    public static let key = "new_actor"
    public static let summary = "Cookbook 12.12: a coroutine actor of an actor scheduler, running a task; primed in order when the scheduler runs."
    public static let python = "sched.new_actor('printer', printer())"
    public static let example = "- new_actor: {scheduler: sched, name: \"printer\", task: printer}"
    public static let fields = [
        Field.required("scheduler", .object([.actorScheduler]), "the scheduler"),
        .required("name", .expression, "the actor's name (what `send` names)"),
        .required("task", .task, "its body"),
        Field("args", .arguments, "its arguments"),
    ]

    public var scheduler: ObjectRef
    public var actorName: Expression
    public var task: String
    public var arguments: [Expression]

    public static func read(_ input: OperationInput) -> Self? {
        guard let scheduler = input.object("scheduler"), let actorName = input.expression("name") else { return nil }
        let arguments = input.arguments()
        guard let task = input.task(arguments: arguments.count) else { return nil }
        return Self(scheduler: scheduler, actorName: actorName, task: task, arguments: arguments)
    }
    public var reads: [String] { actorName.names + arguments.names + scheduler.names }
}

/// `- run_actors: sched`.
public struct RunActorsOperation: ObjectOperation {
    public static let key = "run_actors"
    public static let summary = "Delivers an actor scheduler's messages, first in, first out, one actor at a time, until none is left; actors still waiting are closed (`GeneratorExit`)."
    public static let python = "sched.run()"
    public static let example = "- run_actors: sched"
    public static let kinds: [ObjectSpec.Kind] = [.actorScheduler]
    public var object: ObjectRef
    public init(object: ObjectRef) { self.object = object }
}
