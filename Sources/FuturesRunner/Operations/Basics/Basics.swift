import FuturesCore
import FuturesScenario
import FuturesTrace

extension LogOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.countLogLine()
        interpreter.log(try interpreter.render(text, scope))
        return .next
    }
}

extension NoteOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.countLogLine()
        interpreter.record(.note(text))
        return .next
    }
}

extension SetOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let value = try interpreter.evaluate(self.value, scope)
        if global { interpreter.globals.write { $0[name] = value } } else { scope.bind(name, value) }
        return .next
    }
}

extension RecordOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let value = try interpreter.evaluate(self.value, scope)
        guard let number = value.number else {
            throw ScenarioRaised(type: "TypeError", message: "record '\(name)' needs a number, not \(value.typeName)")
        }
        interpreter.measure(name, number, scope)
        return .next
    }
}

extension NowOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let elapsed = interpreter.runStart.duration(until: currentRuntime.now()).clampedNanoseconds
        scope.bind(name, .double(Double(elapsed) / 1e9))
        return .next
    }
}

extension ReturnOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        .returned(try interpreter.evaluate(value, scope))
    }
}

extension RaiseOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        throw ScenarioRaised(type: type, message: try interpreter.render(message, scope))
    }
}
