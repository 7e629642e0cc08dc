import Foundation
import FuturesCore
import FuturesScenario
import FuturesSync

/// The operations on pollable queues, sockets, actors, exchanges and actor
/// schedulers (Cookbook 12.10–12.13).
extension Interpreter {
    /// An actor object: its thread runs its task, whose `receive` reads the
    /// mailbox; a tagged actor's handlers are tasks called with the payload.
    func makeActor(_ spec: ObjectSpec) throws -> AnyObject {
        if spec.kind == .taggedActor {
            var handlers: [String: @Sendable ([Value]) throws -> Void] = [:]
            for (tag, taskName) in spec.handlers {
                let task = try self.task(taskName)
                handlers[tag] = { [self] payload in
                    guard payload.count == task.params.count else {
                        throw ScenarioRaised(type: "TypeError", message: "\(task.name)() takes \(task.params.count) positional argument\(task.params.count == 1 ? "" : "s") but \(payload.count) were given")
                    }
                    _ = try call(task, payload)
                }
            }
            return TaggedMailbox(actor: ActorThread<Tagged<Value>>.tagged(name: spec.name, handlers: handlers, onError: logActorError))
        }
        let task = try self.task(spec.task ?? "")
        return ActorThread<Value>(name: spec.name, onError: logActorError) { [self] actor in
            _ = try call(task, [], inbox: { timeout in try actor.receive(timeout: timeout) })
        }
    }

    /// As Python reports an exception that ends a thread.
    private func logActorError(_ error: any Error) {
        log("Exception in actor \(ThreadContext.current.name): \(Self.repr(error))", level: "error")
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    func runMessaging(_ action: Action, in scope: Scope) throws -> Flow {
        switch action {
        case .select(let names, let timeout, let target):
            let resolved = try names.map { try resolve($0, scope) }
            let readables = try resolved.map { try sync.object($0, as: (any Selectable).self) }
            let ready = try FuturesSync.select(readables, timeout: try seconds(timeout, scope, "timeout"))
            scope.bind(target, .list(ready.map { item in .string(resolved[readables.firstIndex { $0 === item }!]) }))
        case .send(let name, let actorName, let expression, let target):
            let reached = try send(try evaluate(expression, scope), to: try resolve(name, scope),
                                   actor: try actorName.map { try evaluate($0, scope).description })
            if let target { scope.bind(target, .int(reached)) }
        case .receive(let timeout, let target):
            guard let inbox = scope.inbox else {
                throw ScenarioRaised(type: "RuntimeError", message: "receive outside an actor (this task was not started as one)")
            }
            scope.bind(target, try inbox(try seconds(timeout, scope, "timeout")))
        case .startActor(let name):
            try actor(try resolve(name, scope)).start()
        case .close(let name):
            let target = try resolve(name, scope)
            switch try sync.object(target, as: AnyObject.self) {
            case let queue as PollableQueue<Value>: queue.close()
            case let socket as DatagramSocket: socket.close()
            default: try actor(target).close()
            }
        case .joinActor(let name):
            _ = try actor(try resolve(name, scope)).join(timeout: nil)
        case .actorSubmit(let name, let taskName, let arguments, let label, let target):
            let worker = try sync.object(try resolve(name, scope), as: WorkerActor.self)
            let task = try self.task(taskName)
            let values = try arguments.map { try evaluate($0, scope) }
            let text = try self.label(of: task, values, label)
            let future = try worker.submit(label: text) { [self] in try call(task, values) }
            if let target { scope.bind(target, .future(ScenarioFuture(future, label: text))) }
        case .attach(let exchange, let subscriber):
            try sync.object(try resolve(exchange, scope), as: Exchange<Value>.self).attach(try receiver(try resolve(subscriber, scope)))
        case .detach(let exchange, let subscriber):
            try sync.object(try resolve(exchange, scope), as: Exchange<Value>.self).detach(try receiver(try resolve(subscriber, scope)))
        case .subscribe(let exchange, let subscribers, let body):
            let receivers = try subscribers.map { try receiver(try resolve($0, scope)) }
            return try sync.object(try resolve(exchange, scope), as: Exchange<Value>.self).subscribe(receivers) {
                try run(body, in: scope)
            }
        case .newActor(let name, let actorName, let taskName, let arguments):
            let scheduler = try sync.object(try resolve(name, scope), as: ActorScheduler<Value>.self)
            let task = try self.task(taskName)
            let values = try arguments.map { try evaluate($0, scope) }
            scheduler.newActor(named: try evaluate(actorName, scope).description) { [self] inbox in
                _ = try call(task, values, inbox: { _ in try inbox.receive() })
            }
        case .runActors(let name):
            try sync.object(try resolve(name, scope), as: ActorScheduler<Value>.self).run()
        default:
            break
        }
        return .next
    }

    /// Delivers `message`; returns how many receivers it reached.
    private func send(_ message: Value, to name: String, actor actorName: String?) throws -> Int {
        switch try sync.object(name, as: AnyObject.self) {
        case let exchange as Exchange<Value>:
            return try exchange.send(message)
        case let socket as DatagramSocket:
            try sync.sender().send(try Datagrams.encode(message), to: socket)
        case let scheduler as ActorScheduler<Value>:
            scheduler.send(to: actorName ?? "", message)
        default:
            try receiver(name).send(message)
        }
        return 1
    }

    /// A mailbox or queue, as a subscriber (a tagged actor takes lists whose
    /// first item is the tag).
    private func receiver(_ name: String) throws -> any MessageReceiver<Value> {
        guard let receiver = try sync.object(name, as: AnyObject.self) as? any MessageReceiver<Value> else {
            throw ScenarioRaised(type: "TypeError", message: "'\(name)' takes no messages")
        }
        return receiver
    }

    private func actor(_ name: String) throws -> any ScenarioActor {
        guard let actor = try sync.object(name, as: AnyObject.self) as? any ScenarioActor else {
            throw ScenarioRaised(type: "TypeError", message: "'\(name)' is not an actor")
        }
        return actor
    }
}

/// Scenario values as datagrams: their JSON.
enum Datagrams {
    static func encode(_ value: Value) throws -> [UInt8] {
        if case .future = value { throw ScenarioRaised(type: "TypeError", message: "a future cannot be sent over a socket") }
        return Array(try JSONEncoder().encode(value))
    }

    static func decode(_ bytes: [UInt8], from socket: String) throws -> Value {
        do { return try JSONDecoder().decode(Value.self, from: Data(bytes)) } catch {
            throw ScenarioRaised(type: "ValueError", message: "socket '\(socket)' received \(bytes.count) bytes that are not a message")
        }
    }
}
