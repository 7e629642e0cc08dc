import FuturesCore
import FuturesScenario
import FuturesSync

extension EventSetOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.object(object, scope, as: Event.self).set()
        return .next
    }
}

extension EventClearOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.object(object, scope, as: Event.self).clear()
        return .next
    }
}

extension EventWaitOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let set = try interpreter.object(object, scope, as: Event.self).wait(timeout: try interpreter.seconds(timeout, scope, "timeout"))
        if let name { scope.bind(name, .bool(set)) }
        return .next
    }
}

extension ConditionWaitOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let notified = try interpreter.object(object, scope, as: Condition.self).wait(timeout: try interpreter.seconds(timeout, scope, "timeout"))
        if let name { scope.bind(name, .bool(notified)) }
        return .next
    }
}

extension NotifyOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        guard case .int(let n) = try count.map({ try interpreter.evaluate($0, scope) }) ?? .int(1) else {
            throw ScenarioRaised(type: "TypeError", message: "notify n must be a whole number")
        }
        try interpreter.object(condition, scope, as: Condition.self).notify(n)
        return .next
    }
}

extension NotifyAllOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.object(condition, scope, as: Condition.self).notifyAll()
        return .next
    }
}
