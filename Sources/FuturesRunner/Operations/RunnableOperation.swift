import FuturesScenario

/// How an operation runs. Each operation type of `FuturesScenario` gives its
/// `run` in an extension in this folder (one file per topic, beside the
/// type's own file there); `Interpreter.run(_:in:)` only dispatches.
protocol RunnableOperation: Operation {
    /// Runs the step in `scope`: `.next`, or the task's return value.
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow
}

extension RunnableOperation {
    /// Runs an operation known to be of this type (`operation as! Self` only
    /// compares type metadata, where `as? any RunnableOperation` searched the
    /// conformance tables at every step: a fifth of a run's time).
    static func run(erased operation: any Operation, in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try (operation as! Self).run(in: interpreter, scope: scope)
    }
}

/// Every registered operation's runner, by its type, found once.
let operationRunners: [ObjectIdentifier: any RunnableOperation.Type] = {
    var runners: [ObjectIdentifier: any RunnableOperation.Type] = [:]
    for type in OperationRegistry.all {
        if let runnable = type as? any RunnableOperation.Type { runners[ObjectIdentifier(type)] = runnable }
    }
    return runners
}()
