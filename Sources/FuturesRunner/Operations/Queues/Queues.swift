import FuturesCore
import FuturesScenario
import FuturesSync

extension PutOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.sync.put(try interpreter.resolve(queue, scope), try interpreter.evaluate(item, scope), block: block,
                                 timeout: try interpreter.seconds(timeout, scope, "timeout"))
        return .next
    }
}

extension GetOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        scope.bind(name, try interpreter.sync.get(try interpreter.resolve(queue, scope), block: block,
                                                  timeout: try interpreter.seconds(timeout, scope, "timeout")))
        return .next
    }
}

extension TaskDoneOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.sync.taskDone(try interpreter.resolve(object, scope))
        return .next
    }
}

extension JoinQueueOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.sync.joinQueue(try interpreter.resolve(object, scope))
        return .next
    }
}

extension LocalSetOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.object(local, scope, as: ThreadLocal<Value>.self).value = try interpreter.evaluate(value, scope)
        return .next
    }
}

extension LocalGetOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        scope.bind(name, try interpreter.object(local, scope, as: ThreadLocal<Value>.self).value ?? .none)
        return .next
    }
}
