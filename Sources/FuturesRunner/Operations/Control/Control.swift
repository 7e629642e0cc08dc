import FuturesCore
import FuturesScenario

extension ForOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        // `for i in range(…)` takes the range lazily, as Python does: range(2**63 - 1)
        // is a long loop (that the step limit ends), not a list that cannot be made.
        if case .call("range", let arguments) = items {
            let values = try arguments.map { try interpreter.evaluate($0, scope) }
            let (low, high) = try interpreter.evaluated { () throws(EvaluationError) in try Expression.rangeBounds(values) }
            var index = low
            while index < high {
                scope.bind(name, .int(index))
                if case .returned(let value) = try interpreter.run(body, in: scope) { return .returned(value) }
                index += 1
            }
            return .next
        }
        for item in try interpreter.list(items, scope) {
            scope.bind(name, item)
            if case .returned(let value) = try interpreter.run(body, in: scope) { return .returned(value) }
        }
        return .next
    }
}

extension WhileOperation: RunnableOperation {
    /// A runaway loop is an error, not a hang.
    static let maximumTurns = 100_000

    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        var turns = 0
        while try interpreter.evaluate(condition, scope).isTruthy {
            turns += 1
            if turns > Self.maximumTurns { throw ScenarioRaised(type: "RuntimeError", message: "a while loop ran 100,000 turns") }
            if case .returned(let value) = try interpreter.run(body, in: scope) { return .returned(value) }
        }
        return .next
    }
}

extension IfOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.run(try interpreter.evaluate(condition, scope).isTruthy ? then : otherwise, in: scope)
    }
}

extension TryOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        do {
            return try interpreter.run(body, in: scope)
        } catch {
            // A limit reached or a daemon abandoned stops the thread, as
            // Python's SystemExit does: no `except Exception` takes them.
            if error is RunLimitReached || error is DaemonAbandoned { throw error }
            let type = pythonTypeName(of: error)
            guard let handler = handlers.first(where: { $0.type == type || $0.type == "Exception" }) else { throw error }
            // As Python's `except T as error`: `{error}` is str(error), the message.
            scope.bind("error", .string(Interpreter.str(error)))
            scope.bind("error_type", .string(type))
            scope.bind("error_repr", .string(Interpreter.repr(error)))
            return try interpreter.run(handler.body, in: scope)
        }
    }
}

extension MeasureOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let start = currentRuntime.now()
        let flow = try interpreter.run(body, in: scope)
        interpreter.measure(name, Double(start.duration(until: currentRuntime.now()).clampedNanoseconds) / 1e9, scope)
        return flow
    }
}
