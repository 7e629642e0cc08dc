import FuturesCore
import FuturesScenario
import FuturesSync
import FuturesTraceSchema
#if canImport(Glibc)
import Glibc
#endif

extension ThreadOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let thread = try make(in: interpreter, scope: scope)
        if let name { scope.bind(name, .string(thread.name)) }
        return .next
    }

    /// The thread, made and not started: its task's error is logged as
    /// Python's threading prints it; a daemon abandoned at the end just stops.
    func make(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> ScenarioThread {
        let spec = try interpreter.task(task)
        let values = try arguments.map { try interpreter.evaluate($0, scope) }
        let label = try threadName.map { try interpreter.render($0, scope) }
        return try interpreter.sync.makeThread(named: label, task: task, daemon: daemon) {
            do { _ = try interpreter.call(spec, values) } catch is DaemonAbandoned {
                return
            } catch is RunLimitReached {
                return  // the run's report says which limit
            } catch {
                interpreter.log("Exception in thread \(ThreadContext.current.name): \(Interpreter.repr(error))", level: "error")
            }
        }
    }
}

extension StartThreadOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let made = try thread.make(in: interpreter, scope: scope)
        try made.start()
        if let name = thread.name { scope.bind(name, .string(made.name)) }
        return .next
    }
}

extension StartOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.sync.thread(try interpreter.evaluate(thread, scope).description).start()
        return .next
    }
}

extension IsAliveOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        scope.bind(name, .bool(try interpreter.sync.thread(try interpreter.evaluate(thread, scope).description).isAlive))
        return .next
    }
}

extension JoinOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let value = try interpreter.evaluate(threads, scope)
        let timeout = try interpreter.seconds(timeout, scope, "timeout")
        for item in value.listItems ?? [value] { try interpreter.sync.thread(item.description).join(timeout: timeout) }
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
