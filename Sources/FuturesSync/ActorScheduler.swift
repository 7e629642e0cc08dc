import DequeModule
import FuturesCore

/// Cookbook 12.12's `ActorScheduler`: actors that are coroutines — each
/// runs until it waits for its next message (`msg = yield` in the recipe,
/// `inbox.receive()` here), and one scheduler delivers the messages in the
/// order they were sent, one actor at a time, so no two actors ever run at
/// once and none needs a lock.
///
/// As with `CooperativeScheduler`, each actor is a thread of the runtime
/// that runs only while it holds the turn; the observable order of the
/// recipe (prime every actor, then deliver first in, first out) is kept
/// exactly. When no message is left, actors still waiting for one are
/// closed: their `receive` throws `GeneratorExit`, as Python closes a
/// suspended generator, so every thread ends.
public final class ActorScheduler<Message: Sendable>: @unchecked Sendable {
    // @unchecked: `actors` and `deliveries` are only touched under `lock`;
    // an inbox's fields are handed over with the turn (see `Inbox`).
    public typealias Body = @Sendable (Inbox) throws -> Void

    /// An actor's side of the scheduler: its name and its `receive`.
    public final class Inbox: @unchecked Sendable {
        // @unchecked: `slot`, `closing`, `finished` and `error` are written
        // by whoever holds the turn and read by the other side only after
        // the semaphore hand-off that passes it.
        public let name: String
        let body: Body
        let turn = try! Semaphore(0, name: "turn")
        let back: Semaphore
        var started = false
        var slot: Message?
        var closing = false
        var finished = false
        var error: (any Error)?

        init(name: String, body: @escaping Body, back: Semaphore) {
            self.name = name
            self.body = body
            self.back = back
        }

        /// Gives the turn back and waits for the next message. Once the
        /// scheduler has nothing left for this actor: `GeneratorExit`.
        public func receive() throws -> Message {
            try back.release()
            try turn.acquire()
            guard !closing, let message = slot else { throw GeneratorExit() }
            slot = nil
            return message
        }
    }

    private let lock = SpinLock()
    private var actors: [String: Inbox] = [:]
    private var order: [Inbox] = []
    private var deliveries = Deque<(inbox: Inbox, message: Message?)>()
    private let back = try! Semaphore(0, name: "actor scheduler")

    public init() {}

    /// Adds an actor and queues its priming: it runs to its first
    /// `receive` when the scheduler reaches that point of the queue.
    public func newActor(named name: String, _ body: @escaping Body) {
        let inbox = Inbox(name: name, body: body, back: back)
        lock.withLock {
            actors[name] = inbox
            order.append(inbox)
            deliveries.append((inbox, nil))
        }
    }

    /// Queues `message` for the actor `name`; for no such actor, nothing
    /// (as the recipe's `if actor:`). Callable from actors while they run.
    public func send(to name: String, _ message: Message) {
        lock.withLock {
            guard let inbox = actors[name] else { return }
            deliveries.append((inbox, message))
        }
    }

    /// Delivers until no message is left, then closes the actors still
    /// waiting. The first error an actor threw is rethrown at the end.
    public func run() throws {
        while let (inbox, message) = lock.withLock({ deliveries.popFirst() }) {
            guard !inbox.finished else { continue }  // StopIteration: dropped
            inbox.slot = message
            try give(inbox)
        }
        for inbox in lock.withLock({ order }) where !inbox.finished && inbox.started {
            inbox.closing = true
            try give(inbox)
        }
        if let error = lock.withLock({ order }).lazy.compactMap(\.error).first { throw error }
    }

    /// Hands `inbox` the turn (starting its thread on its first) and waits
    /// until it gives the turn back.
    private func give(_ inbox: Inbox) throws {
        if !inbox.started {
            inbox.started = true
            _ = try currentRuntime.startThread(named: inbox.name) {
                _ = try? inbox.turn.acquire()
                do { try inbox.body(inbox) } catch is GeneratorExit {} catch { inbox.error = error }
                inbox.finished = true
                try? inbox.back.release()
            }
        }
        try inbox.turn.release()
        try back.acquire()
    }
}

/// Raised in a cooperative actor's `receive` when the scheduler closes it.
public struct GeneratorExit: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "GeneratorExit" }
}
