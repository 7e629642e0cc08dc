import FuturesTraceSchema
import FuturesModel
import FuturesScenario

/// Checks a scenario's expectations against what its run did.
enum Expectations {
    struct Outcome {
        var text: String
        var passed: Bool
    }

    static func check(_ scenario: Scenario, model: RunModel, interpreter: Interpreter, elapsed: Double) -> [Outcome] {
        scenario.expectations.map { expectation in
            if let only = expectation.runtime, let runtime = model.header?.runtime, only.rawValue != runtime.rawValue {
                return Outcome(text: expectation.text + " (\(only.rawValue) runtime only: not checked in a \(runtime.rawValue) run)", passed: true)
            }
            let problem = failure(of: expectation.check, model: model, interpreter: interpreter, elapsed: elapsed)
            return Outcome(text: expectation.text + (problem.map { " — \($0)" } ?? ""), passed: problem == nil)
        }
    }

    /// Why the check fails, or nil when it holds.
    static func failure(of check: Expectation.Check, model: RunModel, interpreter: Interpreter, elapsed: Double) -> String? {
        func within(_ value: Double, _ low: Double?, _ high: Double?) -> Bool {
            // A thousandth of a percent of slack for floating-point sums.
            let slack = max(abs(value), 1) * 1e-9
            return (low.map { value >= $0 - slack } ?? true) && (high.map { value <= $0 + slack } ?? true)
        }
        switch check {
        case .equal(let expression, let expected):
            do {
                let value = try expression.evaluate(in: interpreter.variables)
                return value == expected ? nil : "got \(value.repr)"
            } catch {
                return "\(error)"
            }
        case .completionOrder(let labels), .startOrder(let labels):
            let ids: [UInt64]
            if case .completionOrder = check { ids = model.completionOrder } else { ids = model.startOrder }
            let wanted = Set(labels)
            let seen = ids.map { model.label(of: $0) }.filter { wanted.contains($0) }
            return seen == labels ? nil : "got \(seen.joined(separator: ", "))"
        case .states(let pairs):
            var problems: [String] = []
            for (label, state) in pairs {
                let rows = model.futures.filter { $0.label == label }
                if rows.isEmpty { problems.append("no future labelled \(label)") }
                for row in rows where row.state.rawValue != state { problems.append("\(label) is \(row.state.rawValue)") }
            }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        case .deadlock(let expected):
            let happened = !model.deadlocks.isEmpty
            if happened == expected { return nil }
            return happened ? "deadlocked at t=\(seconds(model.deadlocks[0].time))" : "no deadlock happened"
        case .elapsed(let low, let high):
            return within(elapsed, low, high) ? nil : "took \(Value.format(elapsed)) s"
        case .measurement(let name, let low, let high):
            guard let value = interpreter.measurements.last(where: { $0.name == name })?.value
                ?? model.measurements.last(where: { $0.name == name })?.value else {
                return "never measured"
            }
            return within(value, low, high) ? nil : "got \(Value.format(value))"
        case .logOrder(let lines):
            var rest = model.log.map(\.message)[...]
            for line in lines {
                guard let index = rest.firstIndex(of: line) else {
                    return model.log.contains(where: { $0.message == line }) ? "\"\(line)\" came too early" : "\"\(line)\" never logged"
                }
                rest = rest[(index + 1)...]
            }
            return nil
        }
    }

    static func seconds(_ nanoseconds: UInt64) -> String {
        String(format3: Double(nanoseconds) / 1e9) + "s"
    }
}

extension String {
    /// A number with exactly three decimals (`1.000`), without Foundation's formatter.
    init(format3 value: Double) {
        guard value.isFinite, abs(value) < 9e15 else { self = Value.format(value); return }
        let millis = Int((value * 1000).rounded())
        let sign = millis < 0 ? "-" : ""
        let magnitude = abs(millis)
        let fraction = String(magnitude % 1000)
        self = sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
