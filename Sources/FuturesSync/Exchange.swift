import FuturesCore

/// Anything an exchange can deliver to: the recipe's "task", which only
/// needs a `send` method (an actor, a queue, a display).
public protocol MessageReceiver<Message>: AnyObject, Sendable {
    associatedtype Message: Sendable
    func send(_ message: Message) throws
}

extension ActorThread: MessageReceiver {}

extension Queue: MessageReceiver {
    public func send(_ message: Element) throws { try put(message) }
}

extension PollableQueue: MessageReceiver {
    public func send(_ message: Element) throws { try put(message) }
}

/// Cookbook 12.11's publish/subscribe exchange: senders and receivers know
/// only the exchange. `attach` / `detach` subscribers, or `subscribe` them
/// for the length of a block (they are detached however it ends); `send`
/// delivers to every subscriber attached at that moment.
///
/// Subscribers are kept in the order they were attached (the recipe's set
/// has no order; an experiment's log should not depend on hashing). The
/// same subscriber attached twice is delivered to twice and must be
/// detached twice, as with the recipe's `defaultdict(int)` variant.
public final class Exchange<Message: Sendable>: @unchecked Sendable {
    // @unchecked: `subscribers` is only touched under `lock`.
    public let name: String
    private let lock = SpinLock()
    private var subscribers: [any MessageReceiver<Message>] = []

    public init(name: String = "exchange") {
        self.name = name
    }

    public func attach(_ subscriber: any MessageReceiver<Message>) {
        lock.withLock { subscribers.append(subscriber) }
    }

    /// Not attached: `ValueError`, as `set.remove` raises in the recipe.
    public func detach(_ subscriber: any MessageReceiver<Message>) throws {
        try lock.withLock {
            guard let index = subscribers.lastIndex(where: { $0 === subscriber }) else {
                throw ValueError("detach: not a subscriber of exchange '\(name)'")
            }
            subscribers.remove(at: index)
        }
    }

    /// Attaches `receivers`, runs `body`, and detaches them again — also
    /// when `body` throws (the recipe's `with exc.subscribe(a, b):`).
    public func subscribe<R>(_ receivers: [any MessageReceiver<Message>], _ body: () throws -> R) throws -> R {
        for receiver in receivers { attach(receiver) }
        defer { for receiver in receivers { try? detach(receiver) } }
        return try body()
    }

    /// Delivers `message` to every current subscriber, outside the
    /// exchange's lock (a subscriber may block, or send to this exchange);
    /// returns how many it reached. The first delivery error is rethrown
    /// after the others were tried.
    @discardableResult
    public func send(_ message: Message) throws -> Int {
        let targets = lock.withLock { subscribers }
        var firstError: (any Error)?
        for target in targets {
            do { try target.send(message) } catch { if firstError == nil { firstError = error } }
        }
        if let firstError { throw firstError }
        return targets.count
    }

    public var subscriberCount: Int { lock.withLock { subscribers.count } }
}
