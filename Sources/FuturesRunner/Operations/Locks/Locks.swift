import FuturesCore
import FuturesScenario
import FuturesSync

extension AcquireOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let taken = try interpreter.sync.acquire(try interpreter.resolve(object, scope),
                                                 timeout: try interpreter.seconds(timeout, scope, "timeout"))
        if let name { scope.bind(name, .bool(taken)) }
        return .next
    }
}

extension ReleaseOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.sync.release(try interpreter.resolve(object, scope))
        return .next
    }
}

extension WithOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let target = try interpreter.sync.lockable(try interpreter.resolve(object, scope))
        _ = try target.acquire(timeout: nil)
        defer { try? target.release() }
        return try interpreter.run(body, in: scope)
    }
}

extension OrderedOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let objects = try locks.map { try interpreter.sync.object(try interpreter.resolve($0, scope), as: Lock.self) }
        return try OrderedLocks.acquire(objects) { try interpreter.run(body, in: scope) }
    }
}
