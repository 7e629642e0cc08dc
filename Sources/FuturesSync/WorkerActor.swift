import FuturesCore
import FuturesTrace

/// Cookbook 12.10's `Worker`: an actor whose messages are calls, each
/// answered through a result handle — here a real `Future`, so the caller
/// gets `result(timeout:)`, `exception()`, callbacks and `wait`/`asCompleted`,
/// and the trace shows each call on the actor's lane like a pool's task.
///
/// One thread runs the calls in the order they were submitted. Unlike the
/// recipe (whose `Result` never resolves if the call raises, and whose
/// thread dies with it), an error fails only that call's future.
public final class WorkerActor: Sendable {
    public let name: String
    private let actor: ActorThread<Call>

    /// A submitted call, in the mailbox.
    struct Call: Sendable {
        let future: AnyFuture
    }

    public init(name: String = "worker") {
        self.name = name
        actor = ActorThread(name: name) { actor in
            while true {
                try actor.receive().future.runTask(beforeCompleting: {})
            }
        }
    }

    public func start() throws { try actor.start() }
    public var hasStarted: Bool { actor.hasStarted }

    /// Sends `body` to the actor; its future resolves when the actor has run
    /// it. After `close`: `RuntimeError('send to a closed actor')`.
    public func submit<T: Sendable>(label: String? = nil, _ body: @escaping @Sendable () throws -> T) throws -> Future<T> {
        let context = ThreadContext.current
        let future = Future<T>(id: context.trace != nil ? context.runtime.nextFutureID() : 0, task: body)
        if let trace = context.trace {
            trace.recordSubmitted(future: future.id, executor: name, label: label)
        }
        try actor.send(Call(future: future))
        return future
    }

    /// Calls submitted before `close` still run; then the thread ends.
    public func close() throws { try actor.close() }

    @discardableResult
    public func join(timeout: Duration? = nil) throws -> Bool { try actor.join(timeout: timeout) }
}
