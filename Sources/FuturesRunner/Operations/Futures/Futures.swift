import FuturesCore
import FuturesScenario

extension SubmitOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let values = try arguments.map { try interpreter.evaluate($0, scope) }
        let future = try interpreter.submit(task, values, to: executor, label: label)
        if let name { scope.bind(name, .future(future)) }
        return .next
    }
}

extension CallOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let spec = try interpreter.task(task)
        let value = try interpreter.call(spec, try arguments.map { try interpreter.evaluate($0, scope) }, random: scope.random,
                                         depth: scope.depth + 1)
        if let name { scope.bind(name, value) }
        return .next
    }
}

extension MapOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let deadline = currentRuntime.deadline(after: try interpreter.seconds(timeout, scope, "map timeout"))
        var submitted: [ScenarioFuture] = []
        do {
            for item in try interpreter.list(items, scope) { submitted.append(try interpreter.submit(task, [item], to: executor, label: nil)) }
        } catch {
            for future in submitted { future.future.cancel() }
            throw error
        }
        let results = MapResults(futures: submitted.map(\.future), deadline: deadline, runtime: currentRuntime)
        if let body, let name {
            while let value = try results.next() {
                scope.bind(name, value)
                if case .returned(let value) = try interpreter.run(body, in: scope) { results.close(); return .returned(value) }
            }
        } else {
            let values = try results.collect()
            if let name { scope.bind(name, .list(values)) }
        }
        return .next
    }
}

extension ResultOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let timeout = try interpreter.seconds(timeout, scope, "timeout")
        // An AsyncResult's `get(timeout)`.
        if case .future(let reference) = try interpreter.evaluate(future, scope), let result = reference as? AsyncResult {
            let value = try result.get(timeout: timeout)
            if let name { scope.bind(name, value) }
            return .next
        }
        let value = try interpreter.future(future, scope).future.result(timeout: timeout)
        if let name { scope.bind(name, value) }
        return .next
    }
}

extension ExceptionOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let error = try interpreter.future(future, scope).future.exception(timeout: try interpreter.seconds(timeout, scope, "timeout"))
        if let name { scope.bind(name, error.map { .string(Interpreter.repr($0)) } ?? .none) }
        return .next
    }
}

extension AsCompletedOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let all = try interpreter.futures(futures, scope)
        let byIdentity = Dictionary(all.map { (ObjectIdentifier($0.future), $0) }, uniquingKeysWith: { a, _ in a })
        let completions = asCompleted(all.map(\.future), timeout: try interpreter.seconds(timeout, scope, "timeout"))
        defer { completions.close() }
        while let done = try completions.next() {
            guard let future = byIdentity[ObjectIdentifier(done)] else { continue }
            scope.bind(each, .future(future))
            if case .returned(let value) = try interpreter.run(body, in: scope) { return .returned(value) }
        }
        return .next
    }
}

extension WaitOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let all = try interpreter.futures(futures, scope)
        let byIdentity = Dictionary(all.map { (ObjectIdentifier($0.future), $0) }, uniquingKeysWith: { a, _ in a })
        let split = try FuturesCore.wait(all.map(\.future), timeout: try interpreter.seconds(timeout, scope, "timeout"),
                                         returnWhen: ReturnWhen(rawValue: returnWhen))
        func values(_ futures: [Future<Value>]) -> Value {
            .list(futures.compactMap { byIdentity[ObjectIdentifier($0)].map { .future($0) } })
        }
        if let done { scope.bind(done, values(split.done)) }
        if let notDone { scope.bind(notDone, values(split.notDone)) }
        return .next
    }
}

extension CancelOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let cancelled = try interpreter.future(future, scope).future.cancel()
        if let name { scope.bind(name, .bool(cancelled)) }
        return .next
    }
}

extension AddDoneCallbackOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let target = try interpreter.future(future, scope)
        let template = log
        target.future.addDoneCallback { _ in
            var values = scope.values
            values["future"] = .future(target)
            do { interpreter.log(try interpreter.render(template, values)) } catch {
                interpreter.log("callback failed: \(error)", level: "error")
            }
        }
        return .next
    }
}

extension ShutdownOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        interpreter.executors[executor]?.shutdown(wait: wait, cancelFutures: cancelFutures)
        return .next
    }
}

// MARK: - multiprocessing's pools

extension ApplyAsyncOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let target = try interpreter.multiprocessingPool(pool, for: "apply_async")
        try target.checkRunning()
        let values = try arguments.map { try interpreter.evaluate($0, scope) }
        let future = try interpreter.queue(task, values, to: pool, label: label)
        let result = AsyncResult(futures: [future], isMap: false, label: future.label)
        target.track(result)
        if let name { scope.bind(name, .future(result)) }
        return .next
    }
}

extension MapAsyncOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let target = try interpreter.multiprocessingPool(pool, for: "map_async")
        try target.checkRunning()
        let value = try interpreter.evaluate(items, scope)
        guard let list = value.listItems else {
            throw ScenarioRaised(type: "TypeError", message: "'\(value.typeName)' object is not iterable")
        }
        let futures = try list.map { try interpreter.queue(task, [$0], to: pool, label: nil) }
        let result = AsyncResult(futures: futures, isMap: true, label: "\(task)×\(list.count)")
        target.track(result)
        if let name { scope.bind(name, .future(result)) }
        return .next
    }
}

extension Interpreter {
    /// The AsyncResult an expression gives; anything else: TypeError.
    func asyncResult(_ expression: Expression, _ scope: Scope) throws -> AsyncResult {
        let value = try evaluate(expression, scope)
        guard case .future(let reference) = value, let result = reference as? AsyncResult else {
            throw ScenarioRaised(type: "TypeError", message: "\(expression) is \(value.typeName), not an AsyncResult (from apply_async or map_async)")
        }
        return result
    }
}

extension ReadyOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        scope.bind(name, .bool(try interpreter.asyncResult(result, scope).ready))
        return .next
    }
}

extension SuccessfulOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        scope.bind(name, .bool(try interpreter.asyncResult(result, scope).successful()))
        return .next
    }
}

extension AsyncWaitOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.asyncResult(result, scope).wait(timeout: try interpreter.seconds(timeout, scope, "timeout"))
        return .next
    }
}

extension PoolCloseOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.multiprocessingPool(pool, for: "close").close()
        return .next
    }
}

extension PoolJoinOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.multiprocessingPool(pool, for: "join").join()
        return .next
    }
}

extension PoolTerminateOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.multiprocessingPool(pool, for: "terminate").terminate()
        return .next
    }
}
