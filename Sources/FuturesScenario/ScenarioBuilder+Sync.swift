import Yams

/// The operations of threads, locks, events, conditions, semaphores, queues,
/// thread-locals and the cooperative scheduler (Cookbook 12.1–12.6, 12.12).
extension ScenarioBuilder {
    func syncAction(_ op: String, _ node: Node, _ context: Context, inTask: Bool) -> Action? {
        switch op {
        case "cooperative":
            guard let list = reader.sequence(node, "cooperative") else { return nil }
            var tasks: [(task: String, arguments: [Expression])] = []
            for item in list {
                guard let f = fields(item, op, allowed: ["task", "args"], required: ["task"]) else { continue }
                let arguments = self.arguments(f["args"], op)
                if let task = taskName(f, op, context, arguments: arguments.count) { tasks.append((task, arguments)) }
            }
            return .cooperative(tasks: tasks)
        case "yield":
            return .yieldTurn
        case "start_thread":
            guard let f = fields(node, op, allowed: ["task", "args", "name", "as"], required: ["task"], short: "task") else { return nil }
            let arguments = self.arguments(f["args"], op)
            guard let task = taskName(f, op, context, arguments: arguments.count) else { return nil }
            return .startThread(task: task, arguments: arguments, name: f["name"].flatMap { reader.template($0, "start_thread.name") }, as: name(f, "as", op))
        case "join":
            return reader.expression(node, "join").map(Action.join)
        case "acquire":
            guard let f = fields(node, op, allowed: ["object", "timeout", "as"], required: ["object"], short: "object"),
                  let target = object(f["object"], "acquire", context, kinds: [.lock, .rlock, .condition, .semaphore, .boundedSemaphore]) else { return nil }
            return .acquire(object: target, timeout: timeout(f, op), as: name(f, "as", op))
        case "release":
            return object(node, "release", context, kinds: [.lock, .rlock, .condition, .semaphore, .boundedSemaphore]).map(Action.release)
        case "with":
            guard let f = fields(node, op, allowed: ["object", "do"], required: ["object", "do"]),
                  let target = object(f["object"], "with", context, kinds: [.lock, .rlock, .condition, .semaphore, .boundedSemaphore]) else { return nil }
            return .with(object: target, body: f["do"].map { steps($0, "with.do", context, inTask: inTask) } ?? [])
        case "ordered":
            guard let f = fields(node, op, allowed: ["locks", "do"], required: ["locks", "do"]),
                  let list = f["locks"].flatMap({ reader.sequence($0, "ordered.locks") }) else { return nil }
            let names = list.compactMap { object($0, "ordered.locks", context, kinds: [.lock]) }
            guard names.count == list.count else { return nil }
            return .ordered(objects: names, body: f["do"].map { steps($0, "ordered.do", context, inTask: inTask) } ?? [])
        case "event_set", "event_clear":
            guard let event = object(node, op, context, kinds: [.event]) else { return nil }
            return op == "event_set" ? .eventSet(event) : .eventClear(event)
        case "event_wait":
            guard let f = fields(node, op, allowed: ["event", "timeout", "as"], required: ["event"], short: "event"),
                  let event = object(f["event"], op, context, kinds: [.event]) else { return nil }
            return .eventWait(event: event, timeout: timeout(f, op), as: name(f, "as", op))
        case "notify", "notify_all":
            guard let f = fields(node, op, allowed: ["condition", "n"], required: ["condition"], short: "condition"),
                  let condition = object(f["condition"], op, context, kinds: [.condition]) else { return nil }
            return .notify(condition: condition, count: f["n"].flatMap { reader.expression($0, "notify.n") }, all: op == "notify_all")
        case "condition_wait":
            guard let f = fields(node, op, allowed: ["condition", "timeout", "as"], required: ["condition"], short: "condition"),
                  let condition = object(f["condition"], op, context, kinds: [.condition]) else { return nil }
            return .conditionWait(condition: condition, timeout: timeout(f, op), as: name(f, "as", op))
        case "put":
            guard let f = fields(node, op, allowed: ["queue", "item", "block", "timeout"], required: ["queue", "item"]),
                  let queue = object(f["queue"], op, context, kinds: ObjectSpec.Kind.queues),
                  let item = f["item"].flatMap({ reader.expression($0, "put.item") }) else { return nil }
            return .put(queue: queue, item: item, block: f["block"].flatMap { reader.bool($0, "put.block") } ?? true, timeout: timeout(f, op))
        case "get":
            guard let f = fields(node, op, allowed: ["queue", "block", "timeout", "as"], required: ["queue", "as"]),
                  let queue = object(f["queue"], op, context, kinds: ObjectSpec.Kind.queues.union([.socket])), let target = name(f, "as", op) else { return nil }
            return .get(queue: queue, block: f["block"].flatMap { reader.bool($0, "get.block") } ?? true, timeout: timeout(f, op), as: target)
        case "task_done", "join_queue":
            guard let queue = object(node, op, context, kinds: ObjectSpec.Kind.queues) else { return nil }
            return op == "task_done" ? .taskDone(queue) : .joinQueue(queue)
        case "local_set":
            guard let f = fields(node, op, allowed: ["local", "value"], required: ["local", "value"]),
                  let local = object(f["local"], op, context, kinds: [.threadLocal]),
                  let value = f["value"].flatMap({ reader.expression($0, "local_set.value") }) else { return nil }
            return .localSet(local: local, value: value)
        case "local_get":
            guard let f = fields(node, op, allowed: ["local", "as"], required: ["local", "as"]),
                  let local = object(f["local"], op, context, kinds: [.threadLocal]), let target = name(f, "as", op) else { return nil }
            return .localGet(local: local, as: target)
        default:
            return messagingAction(op, node, context, inTask: inTask)
        }
    }
}
