import FuturesScenario

/// How an operation runs. Each operation type of `FuturesScenario` gives its
/// `run` in an extension in this folder (one file per topic, beside the
/// type's own file there); `Interpreter.run(_:in:)` only dispatches.
protocol RunnableOperation: Operation {
    /// Runs the step in `scope`: `.next`, or the task's return value.
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow
}
