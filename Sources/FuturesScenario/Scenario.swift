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
    public enum Kind: String, Sendable, CaseIterable { case thread }
    public var name: String
    public var kind: Kind
    /// nil: the executor's default (CPython's `min(32, cpus + 4)`).
    public var maxWorkers: Int?
    public var location: SourceLocation
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
    /// The task's return value.
    case returnValue(Expression)
    /// Throws an error of a Python type (`ValueError`) with a message.
    case raise(type: String, message: Template)
    /// `name = value`.
    case set(String, Expression)
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
    /// Runs `body` and records its elapsed seconds as measurement `name`.
    case measure(name: String, body: [Step])
    /// Records measurement `name` = `value`.
    case record(name: String, value: Expression)
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
