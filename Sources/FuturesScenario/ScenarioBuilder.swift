import Yams

/// Turns a scenario's node tree into a `Scenario`, recording every problem
/// on the reader; then `ScopeChecker` checks the names.
struct ScenarioBuilder {
    let reader: NodeReader

    static let topKeys = ["title", "description", "runtime", "executors", "objects", "tasks", "main", "expect"]
    static let returnWhen = ["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"]
    static let states = ["pending", "running", "finished", "raised", "cancelled"]

    func build(_ root: Node) -> Scenario? {
        guard let entries = reader.mapping(root, "a scenario", allowed: Self.topKeys, required: ["title", "main"]) else {
            return nil
        }
        let file = reader.file
        let name = as_path(file).lastComponent.split(separator: ".").first.map(String.init) ?? file
        var scenario = Scenario(
            file: file, name: name, title: "", description: "", runtime: RuntimeSpec(),
            executors: [], tasks: [:], main: [], expectations: [])
        var mainNode: Node?
        var taskNodes: Node?
        for (key, node) in entries {
            switch key {
            case "title": scenario.title = reader.string(node, "title") ?? ""
            case "description": scenario.description = reader.string(node, "description") ?? ""
            case "runtime": scenario.runtime = runtime(node)
            case "executors": scenario.executors = executors(node)
            case "objects": scenario.objects = objects(node)
            case "tasks": taskNodes = node
            case "main": mainNode = node
            case "expect": scenario.expectations = expectations(node)
            default: break
            }
        }
        let context = Context(executors: Set(scenario.executors.map(\.name)), taskParams: taskSignatures(taskNodes),
                              objects: Dictionary(scenario.objects.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a }))
        checkObjectTasks(scenario.objects, context)
        checkServers(scenario)
        if let taskNodes { scenario.tasks = tasks(taskNodes, context) }
        if let mainNode { scenario.main = steps(mainNode, "main", context, inTask: false) }
        ScopeChecker(reader: reader).check(scenario)
        return scenario
    }

    /// What a step may refer to: executor names and task names with their
    /// parameter counts.
    struct Context {
        var executors: Set<String>
        var taskParams: [String: Int]
        var objects: [String: ObjectSpec.Kind] = [:]
    }

    func objects(_ node: Node) -> [ObjectSpec] {
        var result: [ObjectSpec] = []
        for item in reader.sequence(node, "objects") ?? [] {
            guard let entries = reader.mapping(item, "an object", allowed: ["name", "kind", "value", "maxsize", "lock", "task", "handlers", "mode", "delay", "error_rate", "executor"], required: ["name", "kind"]) else { continue }
            var spec = ObjectSpec(name: "", kind: .lock, location: reader.location(item))
            for (key, value) in entries {
                switch key {
                case "name":
                    spec.name = reader.identifier(value, "object name") ?? ""
                    if result.contains(where: { $0.name == spec.name }) { reader.error(value, "object '\(spec.name)' is defined twice") }
                case "kind":
                    guard let text = reader.string(value, "object kind") else { break }
                    if let kind = ObjectSpec.Kind(rawValue: text) { spec.kind = kind }
                    else { reader.error(value, "object kind must be one of \(ObjectSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'") }
                case "value": spec.value = reader.int(value, "value", minimum: 0) ?? 1
                case "maxsize": spec.maxsize = reader.int(value, "maxsize", minimum: 0) ?? 0
                case "lock": spec.lock = reader.identifier(value, "lock")
                case "task": spec.task = reader.identifier(value, "task")
                case "handlers": spec.handlers = handlers(value)
                case "mode", "delay", "error_rate", "executor": serverField(key, value, &spec)
                default: break
                }
            }
            result.append(spec)
        }
        for spec in result where spec.lock != nil && !result.contains(where: { $0.name == spec.lock && $0.kind == .lock }) {
            reader.error(spec.location, "condition '\(spec.name)': no lock named '\(spec.lock!)' among the objects")
        }
        return result
    }

    /// An object operand: its name, checked against the objects and kinds.
    func object(_ node: Node?, _ what: String, _ context: Context, kinds: Set<ObjectSpec.Kind>) -> String? {
        guard let node, let name = reader.identifier(node, what) else { return nil }
        guard let kind = context.objects[name] else {
            // Not an object: a variable (a task's parameter) naming one, resolved when it runs.
            return "$" + name
        }
        if !kinds.contains(kind) {
            let wanted = kinds.map(\.rawValue).sorted().map(withArticle).joined(separator: " or ")
            reader.error(node, "\(what): '\(name)' is \(withArticle(kind.rawValue)), not \(wanted)")
            return nil
        }
        return name
    }

    // MARK: - Runtime and executors

    func runtime(_ node: Node) -> RuntimeSpec {
        var spec = RuntimeSpec()
        for (key, value) in reader.mapping(node, "runtime", allowed: ["kind", "seed", "cores", "strategy"]) ?? [] {
            switch key {
            case "kind":
                guard let text = reader.string(value, "runtime.kind") else { break }
                if let kind = RuntimeSpec.Kind(rawValue: text) { spec.kind = kind }
                else { reader.error(value, "runtime.kind must be deterministic or native, not '\(text)'") }
            case "seed": spec.seed = reader.int(value, "runtime.seed", minimum: 0).map(UInt64.init) ?? 0
            case "cores": spec.cores = reader.int(value, "runtime.cores", minimum: 1) ?? 2
            case "strategy":
                guard let text = reader.string(value, "runtime.strategy") else { break }
                if ["random", "round-robin", "pct"].contains(text) { spec.strategy = text }
                else { reader.error(value, "runtime.strategy must be random, round-robin or pct, not '\(text)'") }
            default: break
            }
        }
        return spec
    }

    func executors(_ node: Node) -> [ExecutorSpec] {
        var result: [ExecutorSpec] = []
        for item in reader.sequence(node, "executors") ?? [] {
            guard let entries = reader.mapping(item, "an executor", allowed: ["name", "kind", "max_workers", "gil", "switch_interval"], required: ["name"]) else { continue }
            var spec = ExecutorSpec(name: "", kind: .thread, maxWorkers: nil, location: reader.location(item))
            for (key, value) in entries {
                switch key {
                case "name":
                    spec.name = reader.identifier(value, "executor name") ?? ""
                    if result.contains(where: { $0.name == spec.name }) {
                        reader.error(value, "executor '\(spec.name)' is defined twice")
                    }
                case "kind":
                    guard let text = reader.string(value, "executor kind") else { break }
                    if let kind = ExecutorSpec.Kind(rawValue: text) { spec.kind = kind }
                    else { reader.error(value, "executor kind must be thread or process, not '\(text)'") }
                case "max_workers": spec.maxWorkers = reader.int(value, "max_workers", minimum: 1)
                case "gil": spec.gil = reader.bool(value, "gil") ?? false
                case "switch_interval":
                    if let seconds = reader.number(value, "switch_interval") {
                        if seconds <= 0 { reader.error(value, "switch_interval must be above 0 seconds, not \(seconds)") }
                        else { spec.switchInterval = seconds }
                    }
                default: break
                }
            }
            result.append(spec)
        }
        return result
    }

    // MARK: - Tasks

    func taskSignatures(_ node: Node?) -> [String: Int] {
        guard let node, case .mapping(let mapping) = node else { return [:] }
        var signatures: [String: Int] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            let params = value.mapping?["params"].flatMap { if case .sequence(let s) = $0 { s.count } else { nil } }
            signatures[name] = params ?? 0
        }
        return signatures
    }

    func tasks(_ node: Node, _ context: Context) -> [String: TaskSpec] {
        guard case .mapping(let mapping) = node else {
            reader.error(node, "tasks must be a mapping from task names to tasks")
            return [:]
        }
        var result: [String: TaskSpec] = [:]
        for (keyNode, value) in mapping {
            guard let name = reader.identifier(keyNode, "task name") else { continue }
            guard let entries = reader.mapping(value, "task '\(name)'", allowed: ["params", "label", "steps"], required: ["steps"]) else { continue }
            var spec = TaskSpec(name: name, params: [], label: nil, steps: [], location: reader.location(keyNode))
            for (key, item) in entries {
                switch key {
                case "params":
                    spec.params = (reader.sequence(item, "params") ?? []).compactMap { reader.identifier($0, "a parameter") }
                case "label": spec.label = reader.template(item, "label")
                case "steps": spec.steps = steps(item, "task '\(name)'", context, inTask: true)
                default: break
                }
            }
            result[name] = spec
        }
        return result
    }

    // MARK: - Steps

    static let operations = [
        "log", "note", "sleep", "busy", "sha256", "rc4", "write_logs", "find_robots", "return", "raise", "set", "submit", "call", "map", "result", "exception",
        "as_completed", "wait", "cancel", "add_done_callback", "shutdown", "for", "measure", "record", "now", "try",
        "while", "if", "cooperative", "yield", "start_thread", "join", "acquire", "release", "with", "ordered", "event_set", "event_clear", "event_wait",
        "notify", "notify_all", "condition_wait", "put", "get", "task_done", "join_queue", "local_set", "local_get",
    ] + messagingOperations + networkOperations

    func steps(_ node: Node, _ what: String, _ context: Context, inTask: Bool) -> [Step] {
        (reader.sequence(node, "\(what) steps") ?? []).compactMap { step($0, context, inTask: inTask) }
    }

    func step(_ node: Node, _ context: Context, inTask: Bool) -> Step? {
        guard case .mapping(let mapping) = node, mapping.count == 1, let (keyNode, value) = mapping.first,
              let op = keyNode.scalar?.string else {
            reader.error(node, "a step is one operation (`- log: \"…\"`, `- submit: {…}`, …), not \(reader.shape(of: node))")
            return nil
        }
        guard Self.operations.contains(op) else {
            let hint = reader.closest(to: op, in: Self.operations).map { " (did you mean '\($0)'?)" } ?? ""
            reader.error(keyNode, "unknown operation '\(op)'\(hint); known: \(Self.operations.joined(separator: ", "))")
            return nil
        }
        let location = reader.location(keyNode)
        guard let action = action(op, value, context, inTask: inTask, at: location) else { return nil }
        return Step(action: action, location: location)
    }

    /// Fields of an operation written as a mapping, with a shorthand: a
    /// scalar stands for the field named `short`.
    func fields(_ node: Node, _ op: String, allowed: [String], required: [String], short: String? = nil) -> [String: Node]? {
        if let short, !(node.mapping != nil) { return [short: node] }
        guard let entries = reader.mapping(node, "'\(op)'", allowed: allowed, required: required) else { return nil }
        return Dictionary(entries.map { ($0.key, $0.node) }, uniquingKeysWith: { first, _ in first })
    }

    /// `args: [a, b]`, or one argument written bare (`args: n`).
    func arguments(_ node: Node?, _ op: String) -> [Expression] {
        guard let node else { return [] }
        if case .sequence(let items) = node { return items.compactMap { reader.expression($0, "\(op).args") } }
        return reader.expression(node, "\(op).args").map { [$0] } ?? []
    }

    func duration(_ node: Node, _ op: String) -> Expression? {
        guard let expression = reader.expression(node, op) else { return nil }
        if case .literal(let value) = expression {
            guard let seconds = value.number else {
                reader.error(node, "\(op) takes seconds (a number), not \(value.repr)")
                return nil
            }
            if seconds < 0 { reader.error(node, "\(op): a duration cannot be negative (\(value.repr))") }
        }
        return expression
    }

    func timeout(_ fields: [String: Node], _ op: String) -> Expression? {
        fields["timeout"].flatMap { duration($0, "\(op).timeout") }
    }

    func name(_ fields: [String: Node], _ key: String, _ op: String) -> String? {
        fields[key].flatMap { reader.identifier($0, "\(op).\(key)") }
    }

    func executorName(_ fields: [String: Node], _ op: String, _ context: Context) -> String? {
        guard let node = fields["executor"], let name = reader.identifier(node, "\(op).executor") else { return nil }
        if !context.executors.contains(name) {
            let known = context.executors.sorted().joined(separator: ", ")
            reader.error(node, "no executor named '\(name)'" + (known.isEmpty ? " (the scenario defines none)" : "; defined: \(known)"))
        }
        return name
    }

    func taskName(_ fields: [String: Node], _ op: String, _ context: Context, arguments: Int?) -> String? {
        guard let node = fields["task"], let name = reader.identifier(node, "\(op).task") else { return nil }
        guard let params = context.taskParams[name] else {
            let hint = reader.closest(to: name, in: Array(context.taskParams.keys)).map { " (did you mean '\($0)'?)" } ?? ""
            reader.error(node, "no task named '\(name)'\(hint)")
            return name
        }
        if let arguments, arguments != params {
            reader.error(node, "task '\(name)' takes \(params) argument\(params == 1 ? "" : "s"), given \(arguments)")
        }
        return name
    }

    func action(_ op: String, _ node: Node, _ context: Context, inTask: Bool, at location: SourceLocation) -> Action? {
        switch op {
        case "log": return reader.template(node, "log").map(Action.log)
        case "note": return reader.string(node, "note").map(Action.note)
        case "sleep": return duration(node, "sleep").map(Action.sleep)
        case "busy": return duration(node, "busy").map(Action.busy)
        case "write_logs":
            guard let f = fields(node, op, allowed: ["directory", "files", "lines", "as"], required: ["files", "lines", "as"]),
                  let files = f["files"].flatMap({ reader.expression($0, "write_logs.files") }),
                  let lines = f["lines"].flatMap({ reader.expression($0, "write_logs.lines") }),
                  let name = name(f, "as", op) else { return nil }
            return .writeLogs(directory: f["directory"].flatMap { reader.expression($0, "write_logs.directory") }, files: files, lines: lines, as: name)
        case "find_robots":
            guard let f = fields(node, op, allowed: ["file", "as"], required: ["file", "as"]),
                  let file = f["file"].flatMap({ reader.expression($0, "find_robots.file") }),
                  let name = name(f, "as", op) else { return nil }
            return .findRobots(file: file, as: name)
        case "sha256", "rc4":
            guard let f = fields(node, op, allowed: ["bytes", "rounds", "as"], required: ["bytes"], short: "bytes"),
                  let bytes = f["bytes"].flatMap({ reader.expression($0, "\(op).bytes") }) else { return nil }
            if case .literal(let value) = bytes, (value.number ?? -1) < 0 {
                reader.error(f["bytes"]!, "\(op).bytes must be a count of bytes (0 or more), not \(value.repr)")
            }
            return .hash(algorithm: op, bytes: bytes, rounds: f["rounds"].flatMap { reader.expression($0, "\(op).rounds") }, as: name(f, "as", op))
        case "return":
            if !inTask { reader.error(location, "'return' belongs in a task's steps, not in main") }
            return reader.expression(node, "return").map(Action.returnValue)
        case "raise":
            guard let f = fields(node, op, allowed: ["type", "message"], required: ["message"], short: "message") else { return nil }
            let type = f["type"].flatMap { reader.identifier($0, "raise.type") } ?? "Exception"
            return f["message"].flatMap { reader.template($0, "raise.message") }.map { .raise(type: type, message: $0) }
        case "set":
            guard let f = fields(node, op, allowed: ["name", "value", "global"], required: ["name", "value"]),
                  let name = name(f, "name", op), let value = f["value"].flatMap({ reader.expression($0, "set.value") }) else { return nil }
            return .set(name, value, global: f["global"].flatMap { reader.bool($0, "set.global") } ?? false)
        case "call":
            guard let f = fields(node, op, allowed: ["task", "args", "as"], required: ["task"]) else { return nil }
            let arguments = self.arguments(f["args"], op)
            guard let task = taskName(f, op, context, arguments: arguments.count) else { return nil }
            return .call(task: task, arguments: arguments, as: name(f, "as", op))
        case "submit":
            guard let f = fields(node, op, allowed: ["executor", "task", "args", "label", "as"], required: ["executor", "task"]) else { return nil }
            let arguments = self.arguments(f["args"], op)
            guard let executor = executorName(f, op, context),
                  let task = taskName(f, op, context, arguments: arguments.count) else { return nil }
            return .submit(executor: executor, task: task, arguments: arguments,
                           label: f["label"].flatMap { reader.template($0, "submit.label") }, as: name(f, "as", op))
        case "map":
            guard let f = fields(node, op, allowed: ["executor", "task", "over", "timeout", "as", "do"], required: ["executor", "task", "over"]),
                  let executor = executorName(f, op, context), let task = taskName(f, op, context, arguments: 1),
                  let items = f["over"].flatMap({ reader.expression($0, "map.over") }) else { return nil }
            let body = f["do"].map { steps($0, "map.do", context, inTask: inTask) }
            if body != nil, f["as"] == nil { reader.error(location, "map with 'do' needs 'as' (the name of each result)") }
            return .map(executor: executor, task: task, items: items, timeout: timeout(f, op), as: name(f, "as", op), body: body)
        case "result", "exception":
            guard let f = fields(node, op, allowed: ["of", "timeout", "as"], required: ["of"], short: "of"),
                  let future = f["of"].flatMap({ reader.expression($0, "\(op).of") }) else { return nil }
            return op == "result"
                ? .result(of: future, timeout: timeout(f, op), as: name(f, "as", op))
                : .exception(of: future, timeout: timeout(f, op), as: name(f, "as", op))
        case "as_completed":
            guard let f = fields(node, op, allowed: ["futures", "timeout", "as", "do"], required: ["futures", "do"]),
                  let futures = f["futures"].flatMap({ reader.expression($0, "as_completed.futures") }) else { return nil }
            let body = f["do"].map { steps($0, "as_completed.do", context, inTask: inTask) } ?? []
            return .asCompleted(futures: futures, timeout: timeout(f, op), each: name(f, "as", op) ?? "future", body: body)
        case "wait":
            guard let f = fields(node, op, allowed: ["futures", "timeout", "return_when", "done", "not_done"], required: ["futures"]),
                  let futures = f["futures"].flatMap({ reader.expression($0, "wait.futures") }) else { return nil }
            var returnWhen = "ALL_COMPLETED"
            if let node = f["return_when"], let text = reader.string(node, "wait.return_when") {
                if Self.returnWhen.contains(text) { returnWhen = text }
                else { reader.error(node, "wait.return_when must be \(Self.returnWhen.joined(separator: ", ")), not '\(text)'") }
            }
            return .wait(futures: futures, timeout: timeout(f, op), returnWhen: returnWhen, done: name(f, "done", op), notDone: name(f, "not_done", op))
        case "cancel":
            guard let f = fields(node, op, allowed: ["future", "as"], required: ["future"], short: "future"),
                  let future = f["future"].flatMap({ reader.expression($0, "cancel.future") }) else { return nil }
            return .cancel(future, as: name(f, "as", op))
        case "add_done_callback":
            guard let f = fields(node, op, allowed: ["future", "log"], required: ["future", "log"]),
                  let future = f["future"].flatMap({ reader.expression($0, "add_done_callback.future") }),
                  let log = f["log"].flatMap({ reader.template($0, "add_done_callback.log") }) else { return nil }
            return .addDoneCallback(future, log: log)
        case "shutdown":
            guard let f = fields(node, op, allowed: ["executor", "wait", "cancel_futures"], required: ["executor"], short: "executor"),
                  let executor = executorName(f, op, context) else { return nil }
            return .shutdown(executor: executor,
                             wait: f["wait"].flatMap { reader.bool($0, "shutdown.wait") } ?? true,
                             cancelFutures: f["cancel_futures"].flatMap { reader.bool($0, "shutdown.cancel_futures") } ?? false)
        case "for":
            guard let f = fields(node, op, allowed: ["each", "in", "do"], required: ["each", "in", "do"]),
                  let each = name(f, "each", op), let items = f["in"].flatMap({ reader.expression($0, "for.in") }) else { return nil }
            return .forEach(name: each, items: items, body: f["do"].map { steps($0, "for.do", context, inTask: inTask) } ?? [])
        case "measure":
            guard let f = fields(node, op, allowed: ["name", "do"], required: ["name", "do"]), let name = name(f, "name", op) else { return nil }
            return .measure(name: name, body: f["do"].map { steps($0, "measure.do", context, inTask: inTask) } ?? [])
        case "record":
            guard let f = fields(node, op, allowed: ["name", "value"], required: ["name", "value"]),
                  let name = name(f, "name", op), let value = f["value"].flatMap({ reader.expression($0, "record.value") }) else { return nil }
            return .record(name: name, value: value)
        case "now":
            guard let f = fields(node, op, allowed: ["as"], required: ["as"], short: "as") else { return nil }
            return name(f, "as", op).map(Action.now)
        case "while":
            guard let f = fields(node, op, allowed: ["condition", "do"], required: ["condition", "do"]),
                  let condition = f["condition"].flatMap({ reader.expression($0, "while.condition") }) else { return nil }
            return .whileLoop(condition: condition, body: f["do"].map { steps($0, "while.do", context, inTask: inTask) } ?? [])
        case "if":
            guard let f = fields(node, op, allowed: ["condition", "then", "else"], required: ["condition", "then"]),
                  let condition = f["condition"].flatMap({ reader.expression($0, "if.condition") }) else { return nil }
            return .ifThen(condition: condition, then: f["then"].map { steps($0, "if.then", context, inTask: inTask) } ?? [],
                           otherwise: f["else"].map { steps($0, "if.else", context, inTask: inTask) } ?? [])
        case "try":
            guard let f = fields(node, op, allowed: ["do", "except"], required: ["do", "except"]) else { return nil }
            let body = f["do"].map { steps($0, "try.do", context, inTask: inTask) } ?? []
            var handlers: [(type: String, body: [Step])] = []
            if let node = f["except"] {
                if case .mapping(let mapping) = node {
                    for (key, value) in mapping {
                        guard let type = reader.identifier(key, "an error type") else { continue }
                        handlers.append((type, steps(value, "try.except.\(type)", context, inTask: inTask)))
                    }
                } else {
                    reader.error(node, "try.except must map error types to steps (`TimeoutError: [...]`)")
                }
            }
            return .attempt(body: body, handlers: handlers)
        default:
            return syncAction(op, node, context, inTask: inTask)
        }
    }
}

/// The last component of a path, without Foundation's NSString.
private struct NSStringPath {
    let path: String
    var lastComponent: String { path.split(separator: "/").last.map(String.init) ?? path }
}

private func as_path(_ path: String) -> NSStringPath { NSStringPath(path: path) }
