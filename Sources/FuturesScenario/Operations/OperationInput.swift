import Yams

/// What an operation's `read` sees: the step's fields by key, and typed reads
/// of them that record a diagnostic at the field's place (file:line:col)
/// instead of failing, so that one pass finds every problem.
public struct OperationInput {
    let reader: NodeReader
    let context: ScenarioContext
    /// The operation's key.
    public let key: String
    /// Where the step's key is written.
    public let location: SourceLocation
    /// The step's value (the mapping, or the bare value).
    let node: Node
    /// Fields by key; a bare value stands for the one field of its form.
    let fields: [String: Node]
    /// Whether the step is in a task's steps (or main's).
    public let inTask: Bool
    /// Fields of this operation, by name.
    private let declared: [String: Field]

    init(reader: NodeReader, context: ScenarioContext, key: String, location: SourceLocation, node: Node,
         fields: [String: Node], inTask: Bool, declared: [Field]) {
        self.reader = reader
        self.context = context
        self.key = key
        self.location = location
        self.node = node
        self.fields = fields
        self.inTask = inTask
        self.declared = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether the step writes `field`.
    public func has(_ field: String) -> Bool { fields[field] != nil }

    /// How messages name a field: `wait.return_when`, or the key for a bare value.
    func what(_ field: String) -> String {
        fields.count == 1 && node.mapping == nil ? key : "\(key).\(field)"
    }

    // MARK: - Diagnostics

    /// Records a problem at the step.
    public func error(_ message: String) {
        reader.error(location, message)
    }

    /// Records a problem at the step's value (after its key).
    public func valueError(_ message: String) {
        reader.error(node, message)
    }

    // MARK: - Values

    public func expression(_ field: String) -> Expression? {
        fields[field].flatMap { reader.expression($0, what(field)) }
    }

    /// Seconds: an expression; a literal must be a number ≥ 0.
    public func duration(_ field: String) -> Expression? {
        guard let node = fields[field], let expression = reader.expression(node, what(field)) else { return nil }
        if case .literal(let value) = expression {
            guard let seconds = value.number else {
                reader.error(node, "\(what(field)) takes seconds (a number), not \(value.repr)")
                return nil
            }
            if seconds < 0 { reader.error(node, "\(what(field)): a duration cannot be negative (\(value.repr))") }
        }
        return expression
    }

    /// A count: an expression; a literal must be a number ≥ 0.
    public func count(_ field: String, unit: String) -> Expression? {
        guard let node = fields[field], let expression = reader.expression(node, what(field)) else { return nil }
        if case .literal(let value) = expression, (value.number ?? -1) < 0 {
            reader.error(node, "\(what(field)) must be a count of \(unit) (0 or more), not \(value.repr)")
        }
        return expression
    }

    public func template(_ field: String) -> Template? {
        fields[field].flatMap { reader.template($0, what(field)) }
    }

    public func text(_ field: String) -> String? {
        fields[field].flatMap { reader.string($0, what(field)) }
    }

    /// A list of texts (`choices: [a, b]`); absent: none.
    public func texts(_ field: String) -> [String] {
        guard let node = fields[field] else { return [] }
        guard case .sequence(let items) = node else {
            reader.error(node, "\(what(field)) must be a list of texts, not \(reader.shape(of: node))")
            return []
        }
        return items.compactMap { reader.string($0, what(field)) }
    }

    /// A name to bind (or a type name: `raise.type`).
    public func name(_ field: String) -> String? {
        fields[field].flatMap { reader.identifier($0, what(field)) }
    }

    public func bool(_ field: String, default value: Bool) -> Bool {
        fields[field].flatMap { reader.bool($0, what(field)) } ?? value
    }

    /// One of the field's declared words, or `value` when absent or wrong.
    public func choice(_ field: String, default value: String) -> String {
        guard let node = fields[field], let text = reader.string(node, what(field)) else { return value }
        guard case .choice(let words)? = declared[field]?.type else { return text }
        if words.contains(text) { return text }
        reader.error(node, "\(what(field)) must be \(words.joined(separator: ", ")), not '\(text)'")
        return value
    }

    /// `args: [a, b]`, or one argument written bare (`args: n`).
    public func arguments(_ field: String = "args") -> [Expression] {
        guard let node = fields[field] else { return [] }
        if case .sequence(let items) = node { return items.compactMap { reader.expression($0, what(field)) } }
        return reader.expression(node, what(field)).map { [$0] } ?? []
    }

    /// A list of steps (`do`, `then`).
    public func steps(_ field: String) -> [Step] {
        fields[field].map { steps($0, what(field)) } ?? []
    }

    func steps(_ node: Node, _ what: String) -> [Step] {
        ScenarioBuilder(reader: reader).steps(node, what, context, inTask: inTask)
    }

    // MARK: - References

    /// An executor of the scenario.
    public func executor(_ field: String = "executor") -> String? {
        guard let node = fields[field], let name = reader.identifier(node, what(field)) else { return nil }
        if !context.executors.contains(name) {
            let known = context.executors.sorted().joined(separator: ", ")
            reader.error(node, "no executor named '\(name)'" + (known.isEmpty ? " (the scenario defines none)" : "; defined: \(known)"))
        }
        return name
    }

    /// A task of the scenario, called with `arguments` arguments (nil: unchecked).
    public func task(_ field: String = "task", arguments: Int?) -> String? {
        guard let node = fields[field], let name = reader.identifier(node, what(field)) else { return nil }
        context.checkTask(name, arguments: arguments, at: node, reader)
        return name
    }

    /// An object of one of the field's declared kinds, or a variable naming one.
    public func object(_ field: String) -> ObjectRef? {
        guard let node = fields[field] else { return nil }
        return object(node, what(field), kinds: kinds(of: field))
    }

    /// A list of objects of the field's declared kinds; nil if any is wrong.
    public func objects(_ field: String) -> [ObjectRef]? {
        guard let node = fields[field], let list = reader.sequence(node, what(field)) else { return nil }
        let references = list.compactMap { object($0, what(field), kinds: kinds(of: field)) }
        return references.count == list.count ? references : nil
    }

    /// The kind of a named object of the scenario, if it is one.
    public func kind(of reference: ObjectRef) -> ObjectSpec.Kind? {
        guard case .object(let name) = reference else { return nil }
        return context.objects[name]
    }

    private func kinds(of field: String) -> Set<ObjectSpec.Kind> {
        switch declared[field]?.type {
        case .object(let kinds)?, .objects(let kinds)?: Set(kinds)
        default: Set(ObjectSpec.Kind.allCases)
        }
    }

    private func object(_ node: Node, _ what: String, kinds: Set<ObjectSpec.Kind>) -> ObjectRef? {
        guard let name = reader.identifier(node, what) else { return nil }
        // Not an object: a variable (a task's parameter) naming one, resolved when it runs.
        guard let kind = context.objects[name] else { return .variable(name) }
        if !kinds.contains(kind) {
            let wanted = kinds.map(\.rawValue).sorted().map(withArticle).joined(separator: " or ")
            reader.error(node, "\(what): '\(name)' is \(withArticle(kind.rawValue)), not \(wanted)")
            return nil
        }
        return .object(name)
    }

    // MARK: - Nested records

    /// Each item of a list field, read as a mapping of `fields` (cooperative's tasks).
    public func records(_ field: String, _ fields: [Field]) -> [OperationInput]? {
        guard let node = self.fields[field], let items = reader.sequence(node, what(field)) else { return nil }
        return items.compactMap { item in
            guard let entries = reader.mapping(item, "'\(key)'", allowed: fields.map(\.name),
                                               required: fields.filter(\.required).map(\.name)) else { return nil }
            return OperationInput(reader: reader, context: context, key: key, location: reader.location(item), node: item,
                                  fields: Dictionary(entries.map { ($0.key, $0.node) }, uniquingKeysWith: { a, _ in a }),
                                  inTask: inTask, declared: fields)
        }
    }

    /// A mapping from error types to steps (`try`'s `except`).
    public func handlers(_ field: String) -> [(type: String, body: [Step])] {
        guard let node = fields[field] else { return [] }
        guard case .mapping(let mapping) = node else {
            reader.error(node, "\(what(field)) must map error types to steps (`TimeoutError: [...]`)")
            return []
        }
        return mapping.compactMap { keyNode, value in
            guard let type = reader.identifier(keyNode, "an error type") else { return nil }
            return (type, steps(value, "\(what(field)).\(type)"))
        }
    }
}

/// What a step may refer to: executor names, task names with their
/// parameter counts, object names with their kinds.
struct ScenarioContext {
    var executors: Set<String>
    var taskParams: [String: Int]
    var objects: [String: ObjectSpec.Kind] = [:]

    func checkTask(_ name: String, arguments: Int?, at node: Node, _ reader: NodeReader) {
        guard let params = taskParams[name] else {
            let hint = reader.closest(to: name, in: Array(taskParams.keys)).map { " (did you mean '\($0)'?)" } ?? ""
            reader.error(node, "no task named '\(name)'\(hint)")
            return
        }
        if let arguments, arguments != params {
            reader.error(node, "task '\(name)' takes \(params) argument\(params == 1 ? "" : "s"), given \(arguments)")
        }
    }
}

/// "a lock", "an event", "an http_server": an object kind as one says it.
func withArticle(_ kind: String) -> String {
    ("aeiou".contains(kind.first ?? "x") || kind.hasPrefix("http") ? "an " : "a ") + kind
}
