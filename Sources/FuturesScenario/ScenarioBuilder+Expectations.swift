import Yams

/// The `expect` section: each check and its words.
extension ScenarioBuilder {
    static let checks = ScenarioSections.expectations.names

    func expectations(_ node: Node) -> [Expectation] {
        (reader.sequence(node, "expect") ?? []).compactMap { item in
            guard case .mapping(let mapping) = item, mapping.count == 1, let (keyNode, value) = mapping.first,
                  let kind = keyNode.scalar?.string else {
                reader.error(item, "an expectation is one check (\(Self.checks.joined(separator: ", "))), not \(reader.shape(of: item))")
                return nil
            }
            let location = reader.location(keyNode)
            guard Self.checks.contains(kind) else {
                let hint = reader.closest(to: kind, in: Self.checks).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error(keyNode, "unknown expectation '\(kind)'\(hint); known: \(Self.checks.joined(separator: ", "))")
                return nil
            }
            return expectation(kind, value, at: location)
        }
    }

    func labels(_ node: Node, _ what: String) -> [String]? {
        guard let items = reader.sequence(node, what) else { return nil }
        let texts = items.compactMap { reader.string($0, "\(what) entry") }
        return texts.count == items.count ? texts : nil
    }

    func bounds(_ node: Node, _ what: String, extra: [String] = []) -> (min: Double?, max: Double?, fields: [String: Node])? {
        guard let entries = reader.mapping(node, what, allowed: ["min", "max"] + extra) else { return nil }
        let f = Dictionary(entries.map { ($0.key, $0.node) }, uniquingKeysWith: { a, _ in a })
        let low = f["min"].flatMap { reader.number($0, "\(what).min") }
        let high = f["max"].flatMap { reader.number($0, "\(what).max") }
        if low == nil, high == nil { reader.error(node, "\(what) needs min, max or both") }
        if let low, let high, low > high { reader.error(node, "\(what): min (\(low)) is above max (\(high))") }
        return (low, high, f)
    }

    static func range(_ low: Double?, _ high: Double?) -> String {
        switch (low, high) {
        case let (low?, high?) where low == high: "= \(Value.format(low))"
        case let (low?, high?): "in [\(Value.format(low)), \(Value.format(high))]"
        case let (low?, nil): "≥ \(Value.format(low))"
        case let (nil, high?): "≤ \(Value.format(high))"
        default: ""
        }
    }

    func expectation(_ kind: String, _ node: Node, at location: SourceLocation) -> Expectation? {
        func make(_ check: Expectation.Check, _ text: String) -> Expectation {
            Expectation(check: check, text: text, location: location)
        }
        switch kind {
        case "value":
            guard let entries = reader.mapping(node, "'\(kind)'", allowed: ["of", "equal", "runtime"], required: ["of", "equal"]),
                  case let f = Dictionary(entries.map { ($0.key, $0.node) }, uniquingKeysWith: { a, _ in a }),
                  let of = f["of"].flatMap({ reader.expression($0, "value.of") }),
                  let equal = f["equal"].flatMap({ reader.value($0, "value.equal") }) else { return nil }
            var expectation = make(.equal(of, equal), "\(of) == \(equal.repr)")
            if let node = f["runtime"], let text = reader.string(node, "value.runtime") {
                guard let runtime = RuntimeSpec.Kind(rawValue: text) else {
                    reader.error(node, "value.runtime must be deterministic or native, not '\(text)'")
                    return nil
                }
                expectation.runtime = runtime
            }
            return expectation
        case "completion_order", "start_order":
            guard let order = labels(node, kind) else { return nil }
            let verb = kind == "completion_order" ? "finish" : "start"
            return make(kind == "completion_order" ? .completionOrder(order) : .startOrder(order),
                        "futures \(verb) in the order \(order.joined(separator: ", "))")
        case "states":
            guard case .mapping(let mapping) = node else {
                reader.error(node, "states must map future labels to states")
                return nil
            }
            var pairs: [(label: String, state: String)] = []
            for (key, value) in mapping {
                guard let label = reader.string(key, "a future label"), let state = reader.string(value, "a state") else { continue }
                guard Expectation.states.contains(state) else {
                    reader.error(value, "state must be one of \(Expectation.states.joined(separator: ", ")), not '\(state)'")
                    continue
                }
                pairs.append((label, state))
            }
            return make(.states(pairs), pairs.map { "\($0.label) \($0.state)" }.joined(separator: ", "))
        case "deadlock":
            guard let flag = reader.bool(node, "deadlock") else { return nil }
            return make(.deadlock(flag), flag ? "the run deadlocks" : "no deadlock")
        case "elapsed":
            guard let (low, high, _) = bounds(node, "elapsed") else { return nil }
            return make(.elapsed(min: low, max: high), "elapsed seconds \(Self.range(low, high))")
        case "measurement":
            guard let (low, high, f) = bounds(node, "measurement", extra: ["name"]),
                  let name = f["name"].flatMap({ reader.identifier($0, "measurement.name") }) else {
                if case .mapping(let m) = node, m["name"] == nil { reader.error(node, "measurement needs 'name'") }
                return nil
            }
            return make(.measurement(name: name, min: low, max: high), "\(name) \(Self.range(low, high))")
        case "log_order":
            guard let lines = labels(node, kind) else { return nil }
            return make(.logOrder(lines), "log lines in order: " + lines.map { "\"\($0)\"" }.joined(separator: ", "))
        default:
            return nil
        }
    }
}
