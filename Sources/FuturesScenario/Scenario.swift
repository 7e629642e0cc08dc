/// A scenario file, parsed and validated: everything the runner needs, with
/// the place in the file each part came from.
public struct Scenario: Sendable {
    /// The file it came from, as given.
    public var file: String
    /// The file's name without directory and extension (`loiter_map`).
    public var name: String
    public var title: String
    public var description: String
    public var runtime: RuntimeSpec
    public var executors: [ExecutorSpec]
    /// Synchronisation objects (locks, events, queues, …) by name.
    public var objects: [ObjectSpec] = []
    public var tasks: [String: TaskSpec]
    public var main: [Step]
    public var expectations: [Expectation]
    /// The knobs a teacher turns (`params:`), in declaration order.
    public var params: [ParamSpec] = []
    /// Each parameter's value in force: its default, or what `--set` gave.
    public var paramValues: [String: Value] = [:]
    /// Runs of the same file with other parameter values, shown side by side.
    public var variants: [VariantSpec] = []

    /// The parameters in force, in declaration order.
    public var paramsInForce: [(name: String, value: Value)] {
        params.map { ($0.name, paramValues[$0.name] ?? $0.defaultValue) }
    }
}

/// `variants: [{name: map, set: {method: map}}, …]`: the scenario run once
/// per variant with these parameter values, the runs shown side by side.
public struct VariantSpec: Sendable {
    public var name: String
    public var settings: [(name: String, value: Value)]
    public var location: SourceLocation
}

/// A scenario parameter: `workers: {default: 3, min: 1, max: 20, doc: …}`.
/// Any expression of the scenario reads it by name; a literal field reads
/// it as `"= workers"`.
public struct ParamSpec: Sendable {
    public var name: String
    /// Its value unless `--set` changes it; its type is the parameter's.
    public var defaultValue: Value
    public var minimum: Double?
    public var maximum: Double?
    public var choices: [Value]?
    public var doc: String
    public var location: SourceLocation

    public init(name: String, defaultValue: Value, minimum: Double? = nil, maximum: Double? = nil, choices: [Value]? = nil,
                doc: String = "", location: SourceLocation) {
        self.name = name
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
        self.choices = choices
        self.doc = doc
        self.location = location
    }

    /// `value` as this parameter takes it (an int for a float parameter
    /// becomes a float), or why not.
    public func accept(_ value: Value) -> Result<Value, ParamProblem> {
        var value = value
        switch (defaultValue, value) {
        case (.double, .int(let whole)): value = .double(Double(whole))
        case (.int, .int), (.double, .double), (.bool, .bool), (.string, .string): break
        case (.string, _): value = .string(value.description)
        default: return .failure(ParamProblem("must be \(Self.kind(of: defaultValue)), not \(value.repr)"))
        }
        let number: Double? = switch value {
        case .int(let whole): Double(whole)
        case .double(let real): real
        default: nil
        }
        if let number, let minimum, number < minimum {
            return .failure(ParamProblem("must be at least \(Self.format(minimum)), not \(value.repr)"))
        }
        if let number, let maximum, number > maximum {
            return .failure(ParamProblem("must be at most \(Self.format(maximum)), not \(value.repr)"))
        }
        if let choices, !choices.contains(value) {
            return .failure(ParamProblem("must be one of \(choices.map(\.repr).joined(separator: ", ")), not \(value.repr)"))
        }
        return .success(value)
    }

    static func kind(of value: Value) -> String {
        switch value {
        case .int: "a whole number"
        case .double: "a number"
        case .bool: "true or false"
        default: "text"
        }
    }

    static func format(_ number: Double) -> String { Value.formatWhole(number) }
}

/// Why a parameter refuses a value, in words.
public struct ParamProblem: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// Where something is in a scenario file; prints as `file:line:col`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

public struct RuntimeSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case deterministic, native }
    public var kind: Kind = .deterministic
    public var seed: UInt64 = 0
    /// Simulated cores for `busy` work (deterministic runtime).
    public var cores: Int = 2
    /// How the deterministic scheduler picks the next thread.
    public enum Strategy: String, Sendable, CaseIterable {
        case random
        case roundRobin = "round-robin"
        case pct
    }
    public var strategy = Strategy.random
    public init() {}
}

public struct ExecutorSpec: Sendable {
    /// The threads a run may make, a pool's workers included (docs/scenario-format.md, "Limits").
    public static let maximumThreads = 1_024

    public enum Kind: String, Sendable, CaseIterable {
        case thread, process
        /// `multiprocessing.pool.ThreadPool`: apply_async, map_async, close, join, terminate.
        case mpThreadPool = "mp_thread_pool"
        /// `multiprocessing.Pool`: the same on worker processes.
        case mpPool = "mp_pool"

        /// One of multiprocessing's pools (not a concurrent.futures executor).
        public var isMultiprocessingPool: Bool { self == .mpThreadPool || self == .mpPool }
        /// Its workers are processes.
        public var usesProcesses: Bool { self == .process || self == .mpPool }
    }
    public var name: String
    public var kind: Kind
    /// nil: the executor's default (threads: CPython's `min(32, cpus + 4)`;
    /// processes: the CPU count).
    public var maxWorkers: Int?
    /// Threads of this pool run under a GIL (`gil: true`): one per process,
    /// shared by every GIL thread pool of the scenario.
    public var gil = false
    /// `sys.setswitchinterval`: how long CPU work keeps the GIL when another
    /// thread wants it, in seconds.
    public var switchInterval = 0.005
    public var location: SourceLocation
}

/// A lock, an event, a condition, a semaphore, a queue or a thread-local,
/// made before main runs and named in operations.
public struct ObjectSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case lock, rlock, event, condition, semaphore
        case boundedSemaphore = "bounded_semaphore"
        case queue
        case priorityQueue = "priority_queue"
        case threadLocal = "thread_local"
        case pollableQueue = "pollable_queue"
        /// A UDP socket on 127.0.0.1 (an ephemeral port).
        case socket
        case actor
        case taggedActor = "tagged_actor"
        case workerActor = "worker_actor"
        case exchange
        case actorScheduler = "actor_scheduler"
        /// Fluent Python's flag server, on 127.0.0.1 (native runs only).
        case httpServer = "http_server"
        /// The Cookbook's echo server, on 127.0.0.1 (native runs only).
        case echoServer = "echo_server"

        /// Kinds with a mailbox: they `start_actor`, `close` and `join_actor`.
        public static let actors: [Kind] = [.actor, .taggedActor, .workerActor]
        /// Kinds `select` waits on.
        public static let selectable: [Kind] = [.pollableQueue, .socket]
        /// Real servers: a scenario with one runs natively.
        public static let servers: [Kind] = [.httpServer, .echoServer]
        /// Kinds `put`, `get`, `task_done` and `join_queue` work on.
        public static let queues: [Kind] = [.queue, .priorityQueue, .pollableQueue]
    }
    public var name: String
    public var kind: Kind
    /// A semaphore's initial value.
    public var value: Int = 1
    /// A queue's maxsize (0: unbounded).
    public var maxsize: Int = 0
    /// A condition's lock (by name), else its own.
    public var lock: String?
    /// An actor's task: its `run`, which takes messages with `receive`.
    public var task: String?
    /// A tagged actor's handlers: tag → task (the recipe's `do_<tag>`),
    /// called with the message's payload as arguments.
    public var handlers: [(tag: String, task: String)] = []
    /// A flag server's mode: `local`, `delay` or `error`.
    public var mode = "local"
    /// A flag server's delay before each answer, in seconds (delay and error).
    public var delay = 0.5
    /// The share of flags an error-mode server answers with 503.
    public var errorRate = 0.25
    /// An echo server's thread executor; none: a thread per client.
    public var executor: String?
    public var location: SourceLocation
}

extension Scenario {
    /// The first real server, if any: such a scenario runs only natively.
    public var firstServer: ObjectSpec? {
        objects.first { ObjectSpec.Kind.servers.contains($0.kind) }
    }

    /// Why this scenario cannot run in `runtime`, if it cannot, with the
    /// server's place in the file.
    public func refusal(in runtime: RuntimeSpec.Kind) -> String? {
        guard runtime == .deterministic, let server = firstServer else { return nil }
        return "\(server.location): " + Self.nativeOnly(server)
    }

    /// Why a scenario with `server` runs only natively.
    static func nativeOnly(_ server: ObjectSpec) -> String {
        "\(server.kind.rawValue) '\(server.name)' is a real server on 127.0.0.1, "
            + "so this scenario runs only in the native runtime (runtime: {kind: native}); the deterministic runtime cannot "
            + "schedule the kernel's sockets"
    }
}

/// A callable the program submits: parameters, how its calls are labelled,
/// and the operations it runs.
public struct TaskSpec: Sendable {
    public var name: String
    public var params: [String]
    /// `loiter({n})`; by default the name and the arguments, as Python writes a call.
    public var label: Template?
    public var steps: [Step]
    public var location: SourceLocation
}

/// One step of a task or of main: an operation and where it is written.
///
/// The operation is kept in a box of its own type, with that type's place in
/// `OperationRegistry.all`: the runner finds the type's runner by index and
/// reaches the operation with an unchecked downcast, where a cast from
/// `any Operation` went through the runtime's dynamic cast at every step
/// (`explore` runs a scenario thousands of times).
///
/// The location lives in the box too: a step is copied at every turn of the
/// interpreter's loop, and a copy is then one retain, not a retain of the
/// box and of the location's file name.
public struct Step: Sendable {
    public let boxed: OperationBoxBase
    /// The operation's type's place in `OperationRegistry.all`.
    public let kind: Int

    public var location: SourceLocation { boxed.location }
    public var operation: any Operation { boxed.erased }

    public init<O: Operation>(operation: O, location: SourceLocation) {
        self.boxed = OperationBox(operation, location: location)
        self.kind = OperationRegistry.index(of: O.self)
    }
}

/// A step's operation, as its own type (`OperationBox<O>`), and where it is written.
public class OperationBoxBase: @unchecked Sendable {
    // @unchecked: `location` is a `let` of a Sendable type; the subclass holds an immutable, Sendable operation.
    public let location: SourceLocation

    init(location: SourceLocation) {
        self.location = location
    }

    public var erased: any Operation { fatalError("OperationBoxBase is abstract") }
}

public final class OperationBox<O: Operation>: OperationBoxBase, @unchecked Sendable {
    // @unchecked: `operation` is a `let` of a Sendable type.
    public let operation: O

    init(_ operation: O, location: SourceLocation) {
        self.operation = operation
        super.init(location: location)
    }

    public override var erased: any Operation { operation }
}

/// What the audience should see; checked after the run.
public struct Expectation: Sendable {
    /// The states a future ends in, as `states` names them.
    public static let states = ["pending", "running", "finished", "raised", "cancelled"]

    public enum Check: Sendable {
        /// An expression (over the program's variables) equals a value.
        case equal(Expression, Value)
        /// Labels of the futures in the order they finished.
        case completionOrder([String])
        /// Labels of the futures in the order they started.
        case startOrder([String])
        /// Final state by label: pending, running, finished, raised, cancelled.
        case states([(label: String, state: String)])
        case deadlock(Bool)
        /// Seconds on the run's clock, from start to end.
        case elapsed(min: Double?, max: Double?)
        case measurement(name: String, min: Double?, max: Double?)
        /// Log lines that appear in this order (not necessarily adjacent).
        case logOrder([String])
    }

    public var check: Check
    /// The expectation in words, as reports print it.
    public var text: String
    public var location: SourceLocation
    /// Checked only in this runtime (`runtime: deterministic`): what only a
    /// seeded schedule can promise — a race lost on seed 7 — a native run
    /// may or may not show; there it is said not checked.
    public var runtime: RuntimeSpec.Kind?

    public init(check: Check, text: String, location: SourceLocation, runtime: RuntimeSpec.Kind? = nil) {
        self.check = check
        self.text = text
        self.location = location
        self.runtime = runtime
    }
}
