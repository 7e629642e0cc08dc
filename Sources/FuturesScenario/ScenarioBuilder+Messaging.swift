import Yams

/// The operations of pollable queues, sockets, actors, exchanges and actor
/// schedulers (Cookbook 12.10–12.13), and the checks of their objects.
extension ScenarioBuilder {
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
    func checkObjectTasks(_ objects: [ObjectSpec], _ context: ScenarioContext) {
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

    private func checkTaskExists(_ task: String, _ spec: ObjectSpec, _ context: ScenarioContext) {
        guard context.taskParams[task] == nil else { return }
        let hint = reader.closest(to: task, in: Array(context.taskParams.keys)).map { " (did you mean '\($0)'?)" } ?? ""
        reader.error(spec.location, "\(spec.kind.rawValue) '\(spec.name)': no task named '\(task)'\(hint)")
    }
}
