import Yams

/// The operations of pollable queues, sockets, actors, exchanges and actor
/// schedulers (Cookbook 12.10–12.13), and the checks of their objects.
extension ScenarioBuilder {
    static let messagingOperations = [
        "select", "send", "receive", "start_actor", "close", "join_actor", "actor_submit",
        "attach", "detach", "subscribe", "new_actor", "run_actors",
    ]

    /// What `send` delivers to, and what may subscribe to an exchange.
    static let sendTargets = ObjectSpec.Kind.actors.union(ObjectSpec.Kind.queues).union([.socket, .exchange, .actorScheduler])
    static let subscribers = ObjectSpec.Kind.actors.union(ObjectSpec.Kind.queues)

    /// `handlers: {A: do_a, B: do_b}`.
    func handlers(_ node: Node) -> [(tag: String, task: String)] {
        guard case .mapping(let mapping) = node else {
            reader.error(node, "handlers must map tags to tasks (`{A: do_a}`), not \(reader.shape(of: node))")
            return []
        }
        return mapping.compactMap { key, value in
            guard let tag = key.scalar?.string, let task = reader.identifier(value, "handler of '\(tag)'") else { return nil }
            return (tag, task)
        }
    }

    /// An actor names a task of no parameters; a tagged actor's handlers
    /// name tasks; other kinds take neither.
    func checkObjectTasks(_ objects: [ObjectSpec], _ context: Context) {
        for spec in objects {
            switch spec.kind {
            case .actor:
                guard let task = spec.task else {
                    reader.error(spec.location, "actor '\(spec.name)' needs a task (its run: a loop of receive)")
                    continue
                }
                if let params = context.taskParams[task], params != 0 {
                    reader.error(spec.location, "actor '\(spec.name)': its task '\(task)' must take no arguments (it receives messages), not \(params)")
                }
                checkTaskExists(task, spec, context)
            case .taggedActor:
                if spec.handlers.isEmpty { reader.error(spec.location, "tagged actor '\(spec.name)' needs handlers: {tag: task, …}") }
                for handler in spec.handlers { checkTaskExists(handler.task, spec, context) }
            default:
                if spec.task != nil { reader.error(spec.location, "object '\(spec.name)': only an actor takes a task") }
                if !spec.handlers.isEmpty { reader.error(spec.location, "object '\(spec.name)': only a tagged actor takes handlers") }
            }
        }
    }

    private func checkTaskExists(_ task: String, _ spec: ObjectSpec, _ context: Context) {
        guard context.taskParams[task] == nil else { return }
        let hint = reader.closest(to: task, in: Array(context.taskParams.keys)).map { " (did you mean '\($0)'?)" } ?? ""
        reader.error(spec.location, "\(spec.kind.rawValue) '\(spec.name)': no task named '\(task)'\(hint)")
    }

    func messagingAction(_ op: String, _ node: Node, _ context: Context, inTask: Bool) -> Action? {
        switch op {
        case "select":
            guard let f = fields(node, op, allowed: ["objects", "timeout", "as"], required: ["objects", "as"]),
                  let list = f["objects"].flatMap({ reader.sequence($0, "select.objects") }), let target = name(f, "as", op) else { return nil }
            let names = list.compactMap { object($0, "select.objects", context, kinds: ObjectSpec.Kind.selectable) }
            guard names.count == list.count else { return nil }
            return .select(objects: names, timeout: timeout(f, op), as: target)
        case "send":
            guard let f = fields(node, op, allowed: ["to", "actor", "message", "as"], required: ["to", "message"]),
                  let target = object(f["to"], "send.to", context, kinds: Self.sendTargets),
                  let message = f["message"].flatMap({ reader.expression($0, "send.message") }) else { return nil }
            let actor = f["actor"].flatMap { reader.expression($0, "send.actor") }
            if context.objects[target] == .actorScheduler, actor == nil {
                reader.error(node, "send to actor scheduler '\(target)' needs actor: (the name of one of its actors)")
            }
            if let kind = context.objects[target], kind != .actorScheduler, actor != nil {
                reader.error(node, "send.actor names an actor of an actor scheduler; '\(target)' is \(withArticle(kind.rawValue))")
            }
            return .send(to: target, actor: actor, message: message, as: name(f, "as", op))
        case "receive":
            guard let f = fields(node, op, allowed: ["timeout", "as"], required: ["as"]), let target = name(f, "as", op) else { return nil }
            if !inTask { reader.error(node, "receive: only an actor's task receives messages (main has no mailbox)") }
            return .receive(timeout: timeout(f, op), as: target)
        case "start_actor", "join_actor":
            guard let actor = object(node, op, context, kinds: ObjectSpec.Kind.actors) else { return nil }
            return op == "start_actor" ? .startActor(actor) : .joinActor(actor)
        case "close":
            return object(node, op, context, kinds: ObjectSpec.Kind.actors.union(ObjectSpec.Kind.selectable)).map(Action.close)
        case "actor_submit":
            guard let f = fields(node, op, allowed: ["actor", "task", "args", "label", "as"], required: ["actor", "task"]),
                  let actor = object(f["actor"], "actor_submit.actor", context, kinds: [.workerActor]) else { return nil }
            let arguments = self.arguments(f["args"], op)
            guard let task = taskName(f, op, context, arguments: arguments.count) else { return nil }
            return .actorSubmit(actor: actor, task: task, arguments: arguments,
                                label: f["label"].flatMap { reader.template($0, "actor_submit.label") }, as: name(f, "as", op))
        case "attach", "detach":
            guard let f = fields(node, op, allowed: ["exchange", "subscriber"], required: ["exchange", "subscriber"]),
                  let exchange = object(f["exchange"], "\(op).exchange", context, kinds: [.exchange]),
                  let subscriber = object(f["subscriber"], "\(op).subscriber", context, kinds: Self.subscribers) else { return nil }
            return op == "attach" ? .attach(exchange: exchange, subscriber: subscriber) : .detach(exchange: exchange, subscriber: subscriber)
        case "subscribe":
            guard let f = fields(node, op, allowed: ["exchange", "subscribers", "do"], required: ["exchange", "subscribers", "do"]),
                  let exchange = object(f["exchange"], "subscribe.exchange", context, kinds: [.exchange]),
                  let list = f["subscribers"].flatMap({ reader.sequence($0, "subscribe.subscribers") }) else { return nil }
            let names = list.compactMap { object($0, "subscribe.subscribers", context, kinds: Self.subscribers) }
            guard names.count == list.count else { return nil }
            return .subscribe(exchange: exchange, subscribers: names, body: f["do"].map { steps($0, "subscribe.do", context, inTask: inTask) } ?? [])
        case "new_actor":
            guard let f = fields(node, op, allowed: ["scheduler", "name", "task", "args"], required: ["scheduler", "name", "task"]),
                  let scheduler = object(f["scheduler"], "new_actor.scheduler", context, kinds: [.actorScheduler]),
                  let actorName = f["name"].flatMap({ reader.expression($0, "new_actor.name") }) else { return nil }
            let arguments = self.arguments(f["args"], op)
            guard let task = taskName(f, op, context, arguments: arguments.count) else { return nil }
            return .newActor(scheduler: scheduler, name: actorName, task: task, arguments: arguments)
        case "run_actors":
            return object(node, op, context, kinds: [.actorScheduler]).map(Action.runActors)
        default:
            return networkAction(op, node, context)
        }
    }
}

/// "a lock", "an event", "an http_server": an object kind as one says it.
func withArticle(_ kind: String) -> String {
    ("aeiou".contains(kind.first ?? "x") || kind.hasPrefix("http") ? "an " : "a ") + kind
}
