import FuturesCore
import FuturesScenario

extension CurrentThreadOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        scope.bind(name, .string(ThreadContext.current.name))
        return .next
    }
}
