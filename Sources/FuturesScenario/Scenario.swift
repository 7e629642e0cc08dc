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
    /// `random`, `round-robin` or `pct`.
    public var strategy: String = "random"
    public init() {}
}

public struct ExecutorSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case thread, process }
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
        public static let actors: Set<Kind> = [.actor, .taggedActor, .workerActor]
        /// Kinds `select` waits on.
        public static let selectable: Set<Kind> = [.pollableQueue, .socket]
        /// Real servers: a scenario with one runs natively.
        public static let servers: Set<Kind> = [.httpServer, .echoServer]
        /// Kinds `put`, `get`, `task_done` and `join_queue` work on.
        public static let queues: Set<Kind> = [.queue, .priorityQueue, .pollableQueue]
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

extension Action {
    /// The variables `echo_load … as: name` binds, in this order: clients
    /// whose every byte came back, bytes checked, mismatched echoes, failed
    /// clients, the most handlers at once, threads started for clients.
    public static func echoLoadNames(_ name: String) -> [String] {
        ["ok", "bytes", "mismatches", "failures", "peak_handlers", "threads"].map { "\(name)_\($0)" }
    }
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

public struct Step: Sendable {
    public var action: Action
    public var location: SourceLocation
}

/// One operation, in a task or in the main program.
public indirect enum Action: Sendable {
    /// A line in the log (`[+1.000s] text`).
    case log(Template)
    /// Narration for the classroom: shown as the program reaches it.
    case note(String)
    /// Blocking I/O for a duration in seconds.
    case sleep(Expression)
    /// CPU work for a duration in seconds (occupies a simulated core).
    case busy(Expression)
    /// Real CPU work: SHA-256 or RC4 over `bytes` generated bytes, `rounds`
    /// times; binds the digest (hex) or checksum.
    case hash(algorithm: String, bytes: Expression, rounds: Expression?, as: String?)
    /// Cookbook 12.8: writes `files` generated gzip web logs of `lines` lines
    /// into `directory` (a new temporary one if nil); binds their paths.
    case writeLogs(directory: Expression?, files: Expression, lines: Expression, as: String)
    /// Cookbook 12.8: the hosts that fetched /robots.txt in one gzip log.
    case findRobots(file: Expression, as: String)
    /// The task's return value.
    case returnValue(Expression)
    /// Throws an error of a Python type (`ValueError`) with a message.
    case raise(type: String, message: Template)
    /// `name = value`; in a task, `global: true` writes main's variable
    /// (Python's `global name`).
    case set(String, Expression, global: Bool)
    case submit(executor: String, task: String, arguments: [Expression], label: Template?, as: String?)
    /// Calls a task directly on the current thread (the sequential version).
    case call(task: String, arguments: [Expression], as: String?)
    /// `executor.map(task, items, timeout=…)`; each item is one argument.
    /// Without `body`, `as` names the list of results (`list(map(…))`); with
    /// it, `as` names each result in turn as the loop takes it (`for x in map(…)`).
    case map(executor: String, task: String, items: Expression, timeout: Expression?, as: String?, body: [Step]?)
    /// `future.result(timeout=…)`.
    case result(of: Expression, timeout: Expression?, as: String?)
    /// `future.exception(timeout=…)`.
    case exception(of: Expression, timeout: Expression?, as: String?)
    /// `for name in as_completed(futures, timeout=…): body`.
    case asCompleted(futures: Expression, timeout: Expression?, each: String, body: [Step])
    /// `done, not_done = wait(futures, timeout=…, return_when=…)`.
    case wait(futures: Expression, timeout: Expression?, returnWhen: String, done: String?, notDone: String?)
    case cancel(Expression, as: String?)
    /// `future.add_done_callback(…)`; the callback logs `log` (with `future` in scope).
    case addDoneCallback(Expression, log: Template)
    case shutdown(executor: String, wait: Bool, cancelFutures: Bool)
    case forEach(name: String, items: Expression, body: [Step])
    /// `while condition: body` (at most 100,000 turns: a runaway loop is an error).
    case whileLoop(condition: Expression, body: [Step])
    /// `if condition: then … else: …`
    case ifThen(condition: Expression, then: [Step], otherwise: [Step])
    /// Runs `body` and records its elapsed seconds as measurement `name`.
    case measure(name: String, body: [Step])
    /// Binds the run's clock now, in seconds since the run started
    /// (virtual in the deterministic runtime): `time.monotonic()`.
    case now(as: String)
    /// Records measurement `name` = `value`.
    case record(name: String, value: Expression)
    /// Cookbook 12.12: runs tasks cooperatively, round-robin between their
    /// `yield` steps, until all are done.
    case cooperative(tasks: [(task: String, arguments: [Expression])])
    /// Gives way to the next cooperative task.
    case yieldTurn
    /// `threading.Thread(target=task, args=…).start()`; `as` binds its name.
    case startThread(task: String, arguments: [Expression], name: Template?, as: String?)
    /// Joins threads by name (one, or a list).
    case join(Expression)
    /// acquire / release of a lock, rlock, condition or semaphore.
    case acquire(object: String, timeout: Expression?, as: String?)
    case release(object: String)
    /// `with obj:` — acquire, run `body`, release (also on error).
    case with(object: String, body: [Step])
    /// Cookbook 12.5: `with acquire(a, b):` in one global order.
    case ordered(objects: [String], body: [Step])
    case eventSet(String), eventClear(String)
    case eventWait(event: String, timeout: Expression?, as: String?)
    case notify(condition: String, count: Expression?, all: Bool)
    case conditionWait(condition: String, timeout: Expression?, as: String?)
    case put(queue: String, item: Expression, block: Bool, timeout: Expression?)
    case get(queue: String, block: Bool, timeout: Expression?, as: String)
    case taskDone(String), joinQueue(String)
    case localSet(local: String, value: Expression)
    case localGet(local: String, as: String)
    /// Cookbook 12.13: `select` over pollable queues and sockets; binds the
    /// names of those ready (an empty list after the timeout).
    case select(objects: [String], timeout: Expression?, as: String)
    /// A message to an actor's mailbox, an exchange's subscribers, a socket
    /// (one datagram), a queue, or — with `actor` — a cooperative actor of
    /// an actor scheduler; `as` binds how many it reached.
    case send(to: String, actor: Expression?, message: Expression, as: String?)
    /// In an actor's task: the next message (ends the actor once closed).
    case receive(timeout: Expression?, as: String)
    case startActor(String)
    /// Closes an actor (its sentinel), a pollable queue or a socket.
    case close(String)
    case joinActor(String)
    /// A worker actor's `submit`: `as` binds the call's future.
    case actorSubmit(actor: String, task: String, arguments: [Expression], label: Template?, as: String?)
    case attach(exchange: String, subscriber: String)
    case detach(exchange: String, subscriber: String)
    /// `with exchange.subscribe(a, b): body` — detached however it ends.
    case subscribe(exchange: String, subscribers: [String], body: [Step])
    /// Cookbook 12.12: an actor of an actor scheduler, running `task`.
    case newActor(scheduler: String, name: Expression, task: String, arguments: [Expression])
    /// Delivers the scheduler's messages until none is left.
    case runActors(String)
    /// Fluent Python's `download_one`: GET `path` from a flag server; binds
    /// "ok", "not found" or "error"; `ok` answers are saved as `saveAs`
    /// under `directory` (a new temporary one per run by default);
    /// `errorAs` binds what went wrong for an error (`HTTP 503 Service
    /// Unavailable`, a timeout), else "".
    case httpGet(server: String, path: Template, timeout: Expression?, saveAs: Template?, directory: Expression?, as: String?, errorAs: String?)
    /// A bounded load on an echo server: `clients` clients × `messages`
    /// messages of `size` bytes, every echo checked; binds `<as>_ok`,
    /// `<as>_bytes`, `<as>_mismatches`, `<as>_failures`,
    /// `<as>_peak_handlers` and `<as>_threads`.
    case echoLoad(server: String, clients: Expression, messages: Expression, size: Expression, pause: Expression?, as: String)
    /// Runs `body`; an error of one of the named types runs its handler
    /// instead, with `error` in scope.
    case attempt(body: [Step], handlers: [(type: String, body: [Step])])
}

/// What the audience should see; checked after the run.
public struct Expectation: Sendable {
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
}
