import FuturesCore
import FuturesTrace
import FuturesScenario

/// A scenario's future: the core's future of a `Value`, with its label.
final class ScenarioFuture: FutureReference {
    let future: Future<Value>
    let label: String

    init(_ future: Future<Value>, label: String) {
        self.future = future
        self.label = label
    }

    var state: String {
        if future.isCancelled { return "cancelled" }
        if future.isRunning { return "running" }
        guard future.isDone else { return "pending" }
        return (try? future.exception(timeout: .zero)) == nil ? "finished" : "raised"
    }
}

/// An error a scenario raises (`raise: {type: ValueError, message: …}`), or
/// one of its expressions hit (`NameError: …`): Python's type and message.
struct ScenarioRaised: Error, CustomStringConvertible, TraceTypeNamed {
    let type: String
    let message: String

    var description: String { message }
    var traceTypeName: String { type }
}

extension Value: TraceTypeNamed {
    public var traceTypeName: String { typeName }
}

/// Python's name for an error's type: a scenario's own, or the core's Swift
/// type (`TimeoutError`, `CancelledError`, `DeadlockError`, …).
func pythonTypeName(of error: any Error) -> String {
    if let raised = error as? ScenarioRaised { return raised.type }
    return String(describing: type(of: error))
}

extension EvaluationError {
    /// As a raised error: `NameError: name 'x' is not defined` → NameError.
    var raised: ScenarioRaised {
        let parts = description.split(separator: ":", maxSplits: 1)
        if parts.count == 2 { return ScenarioRaised(type: String(parts[0]), message: parts[1].trimmingCharacters(in: " ")) }
        return ScenarioRaised(type: "RuntimeError", message: description)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
