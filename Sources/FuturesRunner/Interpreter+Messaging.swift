import Foundation
import FuturesCore
import FuturesScenario
import FuturesSync

/// Actors, and delivering messages to what takes them (Cookbook 12.10–12.13).
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

    /// Delivers `message`; returns how many receivers it reached.
    func send(_ message: Value, to name: String, actor actorName: String?) throws -> Int {
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
    func receiver(_ name: String) throws -> any MessageReceiver<Value> {
        guard let receiver = try sync.object(name, as: AnyObject.self) as? any MessageReceiver<Value> else {
            throw ScenarioRaised(type: "TypeError", message: "'\(name)' takes no messages")
        }
        return receiver
    }

    func actor(_ name: String) throws -> any ScenarioActor {
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
