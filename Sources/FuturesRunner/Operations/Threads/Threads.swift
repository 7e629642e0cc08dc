import FuturesCore
import FuturesScenario
import FuturesSync
import FuturesTraceSchema
#if canImport(Glibc)
import Glibc
#endif

extension StartThreadOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let spec = try interpreter.task(task)
        let values = try arguments.map { try interpreter.evaluate($0, scope) }
        let label = try threadName.map { try interpreter.render($0, scope) }
        let started = try interpreter.sync.start(named: label) {
            do { _ = try interpreter.call(spec, values) } catch {
                interpreter.log("Exception in thread \(ThreadContext.current.name): \(Interpreter.repr(error))", level: "error")
            }
        }
        if let name { scope.bind(name, .string(started)) }
        return .next
    }
}

extension JoinOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let value = try interpreter.evaluate(threads, scope)
        for item in value.listItems ?? [value] { try interpreter.sync.join(item.description) }
        return .next
    }
}

extension CooperativeOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let scheduler = CooperativeScheduler()
        for (index, entry) in tasks.enumerated() {
            let spec = try interpreter.task(entry.task)
            let values = try entry.arguments.map { try interpreter.evaluate($0, scope) }
            let name = "\(entry.task)-\(index + 1)"
            let random = interpreter.randomSlot(named: name)
            scheduler.spawn(named: name) { _ = try interpreter.call(spec, values, random: random) }
        }
        try scheduler.run()
        return .next
    }
}

extension YieldOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try CooperativeScheduler.yield()
        return .next
    }
}

extension SchedYieldOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let runtime = currentRuntime
        if runtime.kind == .deterministic {
            // A scheduling point where the thread stays runnable: the strategy picks who runs.
            _ = runtime.spin(upTo: .zero) { true }
        } else {
            sched_yield()
        }
        return .next
    }
}
