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
        let value = try interpreter.call(spec, try arguments.map { try interpreter.evaluate($0, scope) }, random: scope.random)
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
        let value = try interpreter.future(future, scope).future.result(timeout: try interpreter.seconds(timeout, scope, "timeout"))
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
