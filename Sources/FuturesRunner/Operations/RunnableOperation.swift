import FuturesScenario

/// How an operation runs. Each operation type of `FuturesScenario` gives its
/// `run` in an extension in this folder (one file per topic, beside the
/// type's own file there); `Interpreter.run(_:in:)` only dispatches.
protocol RunnableOperation: Operation {
    /// Runs the step in `scope`: `.next`, or the task's return value.
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow
}

/// A runner: runs the boxed operation of one type.
typealias OperationRunner = @Sendable (OperationBoxBase, Interpreter, Interpreter.Scope) throws -> Interpreter.Flow

extension RunnableOperation {
    /// The runner of this type: the box is known to hold a `Self` (the step
    /// was made with it, and its `kind` chose this runner), so it is reached
    /// with an unchecked downcast.
    static var runner: OperationRunner {
        { box, interpreter, scope in try unsafeDowncast(box, to: OperationBox<Self>.self).operation.run(in: interpreter, scope: scope) }
    }
}

/// Every registered operation's runner, by its place in `OperationRegistry.all`.
let operationRunners: [OperationRunner?] = OperationRegistry.all.map { type in
    (type as? any RunnableOperation.Type)?.runner
}
