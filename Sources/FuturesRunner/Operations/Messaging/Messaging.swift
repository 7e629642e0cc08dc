import FuturesCore
import FuturesScenario
import FuturesSync

extension SelectOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let resolved = try objects.map { try interpreter.resolve($0, scope) }
        let readables = try resolved.map { try interpreter.sync.object($0, as: (any Selectable).self) }
        let ready = try FuturesSync.select(readables, timeout: try interpreter.seconds(timeout, scope, "timeout"))
        scope.bind(name, .list(ready.map { item in .string(resolved[readables.firstIndex { $0 === item }!]) }))
        return .next
    }
}

extension SendOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let reached = try interpreter.send(try interpreter.evaluate(message, scope), to: try interpreter.resolve(target, scope),
                                           actor: try actor.map { try interpreter.evaluate($0, scope).description })
        if let name { scope.bind(name, .int(reached)) }
        return .next
    }
}

extension ReceiveOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        guard let inbox = scope.inbox else {
            throw ScenarioRaised(type: "RuntimeError", message: "receive outside an actor (this task was not started as one)")
        }
        scope.bind(name, try inbox(try interpreter.seconds(timeout, scope, "timeout")))
        return .next
    }
}

extension StartActorOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.actor(try interpreter.resolve(object, scope)).start()
        return .next
    }
}

extension CloseOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let target = try interpreter.resolve(object, scope)
        switch try interpreter.sync.object(target, as: AnyObject.self) {
        case let queue as PollableQueue<Value>: queue.close()
        case let socket as DatagramSocket: socket.close()
        default: try interpreter.actor(target).close()
        }
        return .next
    }
}

extension JoinActorOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        _ = try interpreter.actor(try interpreter.resolve(object, scope)).join(timeout: nil)
        return .next
    }
}

extension ActorSubmitOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let worker = try interpreter.object(actor, scope, as: WorkerActor.self)
        let spec = try interpreter.task(task)
        let values = try arguments.map { try interpreter.evaluate($0, scope) }
        let text = try interpreter.label(of: spec, values, label)
        let future = try worker.submit(label: text) { try interpreter.call(spec, values) }
        if let name { scope.bind(name, .future(ScenarioFuture(future, label: text))) }
        return .next
    }
}

extension SubscriptionOperation {
    /// The exchange and the subscriber, resolved.
    func resolve(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> (Exchange<Value>, any MessageReceiver<Value>) {
        (try interpreter.object(exchange, scope, as: Exchange<Value>.self), try interpreter.receiver(try interpreter.resolve(subscriber, scope)))
    }
}

extension AttachOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let (exchange, subscriber) = try resolve(in: interpreter, scope: scope)
        try exchange.attach(subscriber)
        return .next
    }
}

extension DetachOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let (exchange, subscriber) = try resolve(in: interpreter, scope: scope)
        try exchange.detach(subscriber)
        return .next
    }
}

extension SubscribeOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let receivers = try subscribers.map { try interpreter.receiver(try interpreter.resolve($0, scope)) }
        return try interpreter.object(exchange, scope, as: Exchange<Value>.self).subscribe(receivers) {
            try interpreter.run(body, in: scope)
        }
    }
}

extension NewActorOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let actorScheduler = try interpreter.object(scheduler, scope, as: ActorScheduler<Value>.self)
        let spec = try interpreter.task(task)
        let values = try arguments.map { try interpreter.evaluate($0, scope) }
        actorScheduler.newActor(named: try interpreter.evaluate(actorName, scope).description) { inbox in
            _ = try interpreter.call(spec, values, inbox: { _ in try inbox.receive() })
        }
        return .next
    }
}

extension RunActorsOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        try interpreter.object(object, scope, as: ActorScheduler<Value>.self).run()
        return .next
    }
}
