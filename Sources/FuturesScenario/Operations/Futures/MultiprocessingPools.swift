/// multiprocessing's pools (`kind: mp_thread_pool` is `multiprocessing.pool.ThreadPool`,
/// `kind: mp_pool` is `multiprocessing.Pool`): `apply_async` and `map_async`
/// give an AsyncResult; `result` (its `get`), `ready`, `successful` and
/// `async_wait` read it; `pool_close`, `pool_join` and `pool_terminate` end the pool.

/// `- apply_async: {pool: pool, task: sleep_for, args: [2], as: r}`.
public struct ApplyAsyncOperation: Operation {
    public static let key = "apply_async"
    public static let summary = "Queues a call of a task on a multiprocessing pool; binds its AsyncResult. On a closed or terminated pool: `ValueError: Pool not running`."
    public static let python = "f = pool.apply_async(loiter, (2,))"
    public static let example = "- apply_async: {pool: pool, task: loiter, args: [2], as: f}"
    public static let fields = [
        Field.required("pool", .executor, "the pool (an executor of kind mp_thread_pool or mp_pool)"),
        .required("task", .task, "the task called"),
        Field("args", .arguments, "the call's arguments"),
        Field("label", .template, default: "the task's", "how the call is named"),
        Field("as", .name, "binds the AsyncResult"),
    ]

    public var pool: String
    public var task: String
    public var arguments: [Expression]
    public var label: Template?
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        let arguments = input.arguments()
        guard let pool = input.executor("pool"), let task = input.task(arguments: arguments.count) else { return nil }
        return Self(pool: pool, task: task, arguments: arguments, label: input.template("label"), name: input.name("as"))
    }
    public var reads: [String] { arguments.names + label.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- map_async: {pool: pool, task: square, over: range(10), as: r}`.
public struct MapAsyncOperation: Operation {
    public static let key = "map_async"
    public static let summary = "Queues one call of a task per item on a multiprocessing pool; binds one AsyncResult whose `get` is the list of results, in input order (the first error raised instead)."
    public static let python = "f = pool.map_async(loiter, range(10))"
    public static let example = "- map_async: {pool: pool, task: loiter, over: range(10), as: f}"
    public static let fields = [
        Field.required("pool", .executor, "the pool (an executor of kind mp_thread_pool or mp_pool)"),
        .required("task", .task, "a task of one parameter"),
        .required("over", .expression, "the items, one call each"),
        Field("as", .name, "binds the AsyncResult"),
    ]

    public var pool: String
    public var task: String
    public var items: Expression
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        guard let pool = input.executor("pool"), let task = input.task(arguments: 1), let items = input.expression("over") else { return nil }
        return Self(pool: pool, task: task, items: items, name: input.name("as"))
    }
    public var reads: [String] { items.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- ready: {of: r, as: done}` and `- successful: {of: r, as: ok}`.
public protocol AsyncResultQuery: Operation {
    var result: Expression { get }
    var name: String { get }
    init(result: Expression, name: String)
}

extension AsyncResultQuery {
    public static var fields: [Field] {
        [Field.required("of", .expression, "the AsyncResult"), .required("as", .name, "binds True or False")]
    }
    public static var form: OperationForm { .mapping }
    public static func read(_ input: OperationInput) -> Self? {
        guard let result = input.expression("of"), let name = input.name("as") else { return nil }
        return Self(result: result, name: name)
    }
    public var reads: [String] { result.names }
    public var binds: [String] { [name] }
}

public struct ReadyOperation: AsyncResultQuery {
    public static let key = "ready"
    public static let summary = "Binds whether an AsyncResult's call has ended (it never does once its pool was terminated first)."
    public static let python = "done = f.ready()"
    public static let example = "- ready: {of: f, as: done}"
    public var result: Expression
    public var name: String
    public init(result: Expression, name: String) { (self.result, self.name) = (result, name) }
}

public struct SuccessfulOperation: AsyncResultQuery {
    public static let key = "successful"
    public static let summary = "Binds whether an AsyncResult's call returned without raising; before it is ready: `ValueError: … not ready`."
    public static let python = "ok = f.successful()"
    public static let example = "- successful: {of: f, as: ok}"
    public var result: Expression
    public var name: String
    public init(result: Expression, name: String) { (self.result, self.name) = (result, name) }
}

/// `- async_wait: {of: r, timeout: 1}`.
public struct AsyncWaitOperation: Operation {
    public static let key = "async_wait"
    public static let summary = "Waits until an AsyncResult is ready, or the timeout passes; raises nothing either way (then `ready` tells)."
    public static let python = "f.wait(timeout=1)"
    public static let example = "- async_wait: {of: f, timeout: 1}"
    public static let fields = [
        Field.required("of", .expression, "the AsyncResult"),
        Field("timeout", .duration, "seconds to wait at most"),
    ]
    public static let form = OperationForm.mapping

    public var result: Expression
    public var timeout: Expression?

    public static func read(_ input: OperationInput) -> Self? {
        input.expression("of").map { Self(result: $0, timeout: input.duration("timeout")) }
    }
    public var reads: [String] { result.names + timeout.names }
}

/// `- pool_close: pool`, `- pool_join: pool`, `- pool_terminate: pool`.
public protocol PoolLifecycleOperation: Operation {
    var pool: String { get }
    init(pool: String)
}

extension PoolLifecycleOperation {
    public static var fields: [Field] { [Field.required("pool", .executor, "the pool")] }
    public static var form: OperationForm { .value("pool") }
    public static func read(_ input: OperationInput) -> Self? { input.executor("pool").map(Self.init) }
}

public struct PoolCloseOperation: PoolLifecycleOperation {
    public static let key = "pool_close"
    public static let summary = "No more calls may be queued (`apply_async` then raises `ValueError: Pool not running`); the queued ones still run."
    public static let python = "pool.close()"
    public static let example = "- pool_close: pool"
    public var pool: String
    public init(pool: String) { self.pool = pool }
}

public struct PoolJoinOperation: PoolLifecycleOperation {
    public static let key = "pool_join"
    public static let summary = "Waits for the workers to exit, after `pool_close` or `pool_terminate` (before either: `ValueError: Pool is still running`)."
    public static let python = "pool.join()"
    public static let example = "- pool_join: pool"
    public var pool: String
    public init(pool: String) { self.pool = pool }
}

public struct PoolTerminateOperation: PoolLifecycleOperation {
    public static let key = "pool_terminate"
    public static let summary = "Stops the pool now: calls not yet started never run, and their AsyncResults never become ready (`get` waits for ever, or raises TimeoutError after its timeout)."
    public static let python = "pool.terminate()"
    public static let example = "- pool_terminate: pool"
    public var pool: String
    public init(pool: String) { self.pool = pool }
}
