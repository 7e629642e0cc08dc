import Yams

/// Turns a scenario's node tree into a `Scenario`, recording every problem
/// on the reader; then `ScopeChecker` checks the names.
struct ScenarioBuilder {
    let reader: NodeReader
    /// Parameter values to use instead of the defaults (`run --set`, a variant).
    var settings: [(name: String, value: Value)] = []


    func build(_ root: Node) -> Scenario? {
        guard let entries = reader.mapping(root, "a scenario", allowed: ScenarioSections.top.names, required: ScenarioSections.top.requiredNames) else {
            return nil
        }
        let file = reader.file
        let name = as_path(file).lastComponent.split(separator: ".").first.map(String.init) ?? file
        var scenario = Scenario(
            file: file, name: name, title: "", description: "", runtime: RuntimeSpec(),
            executors: [], tasks: [:], main: [], expectations: [])
        var mainNode: Node?
        var taskNodes: Node?
        // Parameters first: literal fields anywhere may read them.
        let paramsNode = entries.first { $0.key == "params" }?.node
        scenario.params = paramsNode.map(params) ?? []
        scenario.paramValues = paramValues(scenario.params, at: paramsNode.map(reader.location) ?? reader.start)
        reader.params = scenario.paramValues
        if let variantsNode = entries.first(where: { $0.key == "variants" })?.node {
            scenario.variants = variants(variantsNode, scenario.params)
        }
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
        let context = ScenarioContext(executors: Set(scenario.executors.map(\.name)), taskParams: taskSignatures(taskNodes),
                              objects: Dictionary(scenario.objects.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a }))
        checkObjectTasks(scenario.objects, context)
        checkServers(scenario)
        if let taskNodes { scenario.tasks = tasks(taskNodes, context) }
        if let mainNode { scenario.main = steps(mainNode, "main", context, inTask: false) }
        ScopeChecker(reader: reader).check(scenario)
        return scenario
    }

    // MARK: - Parameters

    func params(_ node: Node) -> [ParamSpec] {
        guard case .mapping(let mapping) = node else {
            reader.error(node, "params must be a mapping of parameter names to their declarations, not \(reader.shape(of: node))")
            return []
        }
        var result: [ParamSpec] = []
        for (key, value) in mapping {
            guard let name = reader.identifier(key, "parameter name") else { continue }
            guard let entries = reader.mapping(value, "parameter '\(name)'", allowed: ScenarioSections.param.names,
                                               required: ScenarioSections.param.requiredNames) else { continue }
            var spec = ParamSpec(name: name, defaultValue: .none, location: reader.location(key))
            for (field, node) in entries {
                switch field {
                case "default": spec.defaultValue = paramValue(node, "parameter '\(name)': default") ?? .none
                case "min": spec.minimum = reader.number(node, "parameter '\(name)': min")
                case "max": spec.maximum = reader.number(node, "parameter '\(name)': max")
                case "choices":
                    spec.choices = (reader.sequence(node, "parameter '\(name)': choices") ?? []).compactMap { paramValue($0, "parameter '\(name)': a choice") }
                case "doc": spec.doc = reader.string(node, "parameter '\(name)': doc") ?? ""
                default: break
                }
            }
            if case .none = spec.defaultValue { continue }
            if case .failure(let problem) = spec.accept(spec.defaultValue) {
                reader.error(spec.location, "parameter '\(name)': its default \(problem.message)")
            }
            result.append(spec)
        }
        return result
    }

    /// Each variant's name and settings, checked against the parameters.
    func variants(_ node: Node, _ params: [ParamSpec]) -> [VariantSpec] {
        var result: [VariantSpec] = []
        for item in reader.sequence(node, "variants") ?? [] {
            guard let entries = reader.mapping(item, "a variant", allowed: ScenarioSections.variant.names,
                                               required: ScenarioSections.variant.requiredNames) else { continue }
            var variant = VariantSpec(name: "", settings: [], location: reader.location(item))
            for (key, value) in entries {
                switch key {
                case "name":
                    variant.name = reader.identifier(value, "variant name") ?? ""
                    if result.contains(where: { $0.name == variant.name }) { reader.error(value, "variant '\(variant.name)' is defined twice") }
                case "set":
                    guard case .mapping(let mapping) = value else {
                        reader.error(value, "variants: set must be a mapping of parameters to values, not \(reader.shape(of: value))")
                        break
                    }
                    for (nameNode, valueNode) in mapping {
                        guard let name = reader.identifier(nameNode, "a variant's parameter"), let given = paramValue(valueNode, "variants: \(name)") else { continue }
                        guard let spec = params.first(where: { $0.name == name }) else {
                            let guess = reader.closest(to: name, in: params.map(\.name)).map { " — did you mean '\($0)'?" } ?? ""
                            reader.error(nameNode, "variants: no parameter '\(name)' to set (declare it under params:)\(guess)")
                            continue
                        }
                        switch spec.accept(given) {
                        case .success(let accepted): variant.settings.append((name, accepted))
                        case .failure(let problem): reader.error(valueNode, "variants: parameter '\(name)' \(problem.message)")
                        }
                    }
                default: break
                }
            }
            result.append(variant)
        }
        return result
    }

    /// A parameter's literal: a whole number, a number, true / false or text.
    private func paramValue(_ node: Node, _ what: String) -> Value? {
        // A bare word (`default: map`) is text here, as YAML writes it, not a name.
        if case .scalar(let scalar) = node, scalar.style == .plain, let first = scalar.string.first, first.isLetter || first == "_",
           scalar.string.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
           !["true", "false", "null", "yes", "no"].contains(scalar.string.lowercased()), reader.params[scalar.string] == nil {
            return .string(scalar.string)
        }
        guard let value = reader.value(node, what) else { return nil }
        switch value {
        case .int, .double, .bool, .string: return value
        default:
            reader.error(node, "\(what) must be a number, true / false or text, not \(value.repr)")
            return nil
        }
    }

    /// Each parameter's value in force: its default, or the setting, checked
    /// against its declaration (a refused setting is reported there).
    private func paramValues(_ params: [ParamSpec], at place: SourceLocation) -> [String: Value] {
        var values = Dictionary(params.map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { first, _ in first })
        for (name, value) in settings {
            guard let spec = params.first(where: { $0.name == name }) else {
                let known = params.isEmpty ? "this scenario declares none" : "it declares " + params.map(\.name).joined(separator: ", ")
                let guess = reader.closest(to: name, in: params.map(\.name)).map { " — did you mean '\($0)'?" } ?? ""
                reader.error(place, "--set \(name)=\(value.description): no parameter '\(name)' (\(known))\(guess)")
                continue
            }
            switch spec.accept(value) {
            case .success(let accepted): values[name] = accepted
            case .failure(let problem): reader.error(spec.location, "--set \(name)=\(value.description): parameter '\(name)' \(problem.message)")
            }
        }
        return values
    }

    func objects(_ node: Node) -> [ObjectSpec] {
        var result: [ObjectSpec] = []
        for item in reader.sequence(node, "objects") ?? [] {
            guard let entries = reader.mapping(item, "an object", allowed: ScenarioSections.object.names, required: ScenarioSections.object.requiredNames) else { continue }
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

    // MARK: - Runtime and executors

    func runtime(_ node: Node) -> RuntimeSpec {
        var spec = RuntimeSpec()
        for (key, value) in reader.mapping(node, "runtime", allowed: ScenarioSections.runtime.names) ?? [] {
            switch key {
            case "kind":
                guard let text = reader.string(value, "runtime.kind") else { break }
                if let kind = RuntimeSpec.Kind(rawValue: text) { spec.kind = kind }
                else { reader.error(value, "runtime.kind must be deterministic or native, not '\(text)'") }
            case "seed": spec.seed = reader.int(value, "runtime.seed", minimum: 0).map(UInt64.init) ?? 0
            case "cores": spec.cores = reader.int(value, "runtime.cores", minimum: 1) ?? 2
            case "strategy":
                guard let text = reader.string(value, "runtime.strategy") else { break }
                if let strategy = RuntimeSpec.Strategy(rawValue: text) { spec.strategy = strategy }
                else { reader.error(value, "runtime.strategy must be random, round-robin or pct, not '\(text)'") }
            default: break
            }
        }
        return spec
    }

    func executors(_ node: Node) -> [ExecutorSpec] {
        var result: [ExecutorSpec] = []
        for item in reader.sequence(node, "executors") ?? [] {
            guard let entries = reader.mapping(item, "an executor", allowed: ScenarioSections.executor.names, required: ScenarioSections.executor.requiredNames) else { continue }
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
                    else { reader.error(value, "executor kind must be one of \(ExecutorSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'") }
                case "max_workers":
                    spec.maxWorkers = reader.int(value, "max_workers", minimum: 1)
                    // As the run's threads: past that Python would fail to start them.
                    if let workers = spec.maxWorkers, workers > ExecutorSpec.maximumThreads {
                        reader.error(value, "max_workers must be at most \(ExecutorSpec.maximumThreads) (got \(workers))")
                        spec.maxWorkers = nil
                    }
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

    func tasks(_ node: Node, _ context: ScenarioContext) -> [String: TaskSpec] {
        guard case .mapping(let mapping) = node else {
            reader.error(node, "tasks must be a mapping from task names to tasks")
            return [:]
        }
        var result: [String: TaskSpec] = [:]
        for (keyNode, value) in mapping {
            guard let name = reader.identifier(keyNode, "task name") else { continue }
            guard let entries = reader.mapping(value, "task '\(name)'", allowed: ScenarioSections.task.names, required: ScenarioSections.task.requiredNames) else { continue }
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

    func steps(_ node: Node, _ what: String, _ context: ScenarioContext, inTask: Bool) -> [Step] {
        (reader.sequence(node, "\(what) steps") ?? []).compactMap { step($0, context, inTask: inTask) }
    }

    /// One step: a mapping of one key, the operation, read by its type.
    func step(_ node: Node, _ context: ScenarioContext, inTask: Bool) -> Step? {
        guard case .mapping(let mapping) = node, mapping.count == 1, let (keyNode, value) = mapping.first,
              let key = keyNode.scalar?.string else {
            reader.error(node, "a step is one operation (`- log: \"…\"`, `- submit: {…}`, …), not \(reader.shape(of: node))")
            return nil
        }
        guard let type = OperationRegistry.operation(forKey: key) else {
            let keys = OperationRegistry.keys
            let hint = reader.closest(to: key, in: keys).map { " (did you mean '\($0)'?)" } ?? ""
            reader.error(keyNode, "unknown operation '\(key)'\(hint); known: \(keys.joined(separator: ", "))")
            return nil
        }
        let location = reader.location(keyNode)
        guard let fields = fields(of: type, value) else { return nil }
        let input = OperationInput(reader: reader, context: context, key: key, location: location, node: value,
                                   fields: fields, inTask: inTask, declared: type.fields)
        return type.read(input).map { Step(operation: $0, location: location) }
    }

    /// A step's fields by key, as its operation's form allows: a mapping
    /// (keys checked against the declared fields), or a bare value standing
    /// for one field.
    func fields(of type: any Operation.Type, _ node: Node) -> [String: Node]? {
        switch type.form {
        case .empty:
            return [:]
        case .value(let field):
            return [field: node]
        case .mappingOrValue(let field) where node.mapping == nil:
            return [field: node]
        case .mapping, .mappingOrValue:
            let declared = type.fields
            guard let entries = reader.mapping(node, "'\(type.key)'", allowed: declared.map(\.name),
                                               required: declared.filter(\.required).map(\.name)) else { return nil }
            return Dictionary(entries.map { ($0.key, $0.node) }, uniquingKeysWith: { first, _ in first })
        }
    }
}

/// The last component of a path, without Foundation's NSString.
private struct NSStringPath {
    let path: String
    var lastComponent: String { path.split(separator: "/").last.map(String.init) ?? path }
}

private func as_path(_ path: String) -> NSStringPath { NSStringPath(path: path) }
