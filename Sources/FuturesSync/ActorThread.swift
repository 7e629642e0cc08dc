import FuturesCore
import FuturesTrace

/// Cookbook 12.10: an actor — a thread of its own that does nothing but
/// take messages from its mailbox, one at a time — so its state needs no
/// lock: only its thread touches it.
///
/// `send` puts a message in the mailbox; `close` puts the close sentinel,
/// which makes the actor's next `receive` throw `ActorExit` and so ends its
/// loop; `join` waits until its thread has ended. Named `ActorThread`, not
/// `Actor`, so as not to shadow Swift's `Actor` protocol.
///
/// Differences from the recipe, chosen for a teaching tool: a message sent
/// after `close` raises (the recipe's would sit unread for ever), and an
/// error the body throws is kept (`error`) and logged instead of vanishing
/// with the thread.
public final class ActorThread<Message: Sendable>: @unchecked Sendable {
    // @unchecked: `closed` and `failure` change only under `state`; the
    // mailbox and the event are thread-safe.
    public typealias Body = @Sendable (ActorThread<Message>) throws -> Void

    enum Mail: Sendable {
        case message(Message)
        case exit
    }

    public let name: String
    private let body: Body
    private let onError: (@Sendable (any Error) -> Void)?
    private let mailbox: Queue<Mail>
    private let terminated: Event
    private let state = SpinLock()
    private var closed = false
    private var started = false
    private var failure: (any Error)?

    /// - Parameters:
    ///   - onError: told of an error that ends the body (other than
    ///     `ActorExit`), on the actor's thread; by default it is logged to
    ///     the trace as `Exception in actor <name>: <Type>: <message>`.
    ///   - body: the actor's `run`: typically a loop of `receive()`.
    public init(name: String, onError: (@Sendable (any Error) -> Void)? = nil, body: @escaping Body) {
        self.name = name
        self.onError = onError
        self.body = body
        mailbox = Queue(maxsize: 0, name: name + " mailbox", less: nil, tracedAs: (name, "actor"))
        terminated = Event(name: name + " terminated", traced: false)
    }

    /// Starts the actor's thread (in the calling thread's runtime). Starting
    /// twice: `RuntimeError('actors can only be started once')`.
    public func start() throws {
        try state.withLock {
            guard !started else { throw RuntimeError("actors can only be started once") }
            started = true
        }
        _ = try currentRuntime.startThread(named: name) { [self] in
            defer { terminated.set() }
            do {
                try body(self)
            } catch is ActorExit {
            } catch {
                state.withLock { failure = error }
                if let onError {
                    onError(error)
                } else {
                    ThreadContext.current.trace?.record(.log(level: "error", message: "Exception in actor \(name): \(type(of: error)): \(error)"))
                }
            }
        }
    }

    /// Puts `message` in the mailbox. After `close`:
    /// `RuntimeError('send to a closed actor')`.
    public func send(_ message: Message) throws {
        try state.withLock {
            if closed { throw RuntimeError("send to a closed actor '\(name)'") }
        }
        try mailbox.put(.message(message))
    }

    /// The next message, waiting for one. The close sentinel: `ActorExit`.
    /// Called by the actor's own body.
    public func receive(timeout: Duration? = nil) throws -> Message {
        switch try mailbox.get(timeout: timeout) {
        case .message(let message): return message
        case .exit:
            // Left for any later receive too: the actor stays closed.
            try? mailbox.put(.exit)
            throw ActorExit()
        }
    }

    /// Sends the close sentinel: messages already sent are taken first.
    /// Closing twice does nothing more.
    public func close() throws {
        let first = state.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        if first { try mailbox.put(.exit) }
    }

    /// Waits until the actor's thread has ended (up to `timeout`); returns
    /// whether it has.
    @discardableResult
    public func join(timeout: Duration? = nil) throws -> Bool {
        try terminated.wait(timeout: timeout)
    }

    public var hasStarted: Bool { state.withLock { started } }

    /// The error the body ended with, other than `ActorExit`.
    public var error: (any Error)? { state.withLock { failure } }
}

/// Thrown by `receive` when the actor was closed; ends its body quietly.
public struct ActorExit: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "ActorExit" }
}

// MARK: - Tagged messages

/// A message for a tagged actor: a tag naming the handler and its payload.
public struct Tagged<Payload: Sendable>: Sendable {
    public var tag: String
    public var payload: [Payload]
    public init(_ tag: String, _ payload: [Payload]) {
        self.tag = tag
        self.payload = payload
    }
}

extension ActorThread {
    /// Cookbook 12.10's `TaggedActor`: each message's tag picks its handler
    /// (`do_A`, `do_B` in the recipe). A tag with no handler ends the actor
    /// with `AttributeError`, as `getattr` does in Python.
    public static func tagged<Payload>(
        name: String, handlers: [String: @Sendable ([Payload]) throws -> Void], onError: (@Sendable (any Error) -> Void)? = nil
    ) -> ActorThread<Tagged<Payload>> where Message == Tagged<Payload> {
        ActorThread(name: name, onError: onError) { actor in
            while true {
                let message = try actor.receive()
                guard let handler = handlers[message.tag] else {
                    // Python names the class (the Cookbook's TaggedActor), not the object.
                    throw AttributeError("'TaggedActor' object has no attribute 'do_\(message.tag)'")
                }
                try handler(message.payload)
            }
        }
    }
}

/// Python's `AttributeError`: here, a tagged actor given a tag it has no
/// handler for.
public struct AttributeError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
