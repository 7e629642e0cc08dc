import FuturesCore
import Synchronization
import FuturesProcess
import FuturesScenario
import FuturesSync
import FuturesTrace
import FuturesTraceSchema

/// Runs a scenario's steps on the executor core: main on the run's main
/// thread, each task's steps on the worker that runs its future.
///
/// Main's variables are shared (tasks read them when they run, as Python's
/// functions read module globals); a task's parameters and locals are its own.
final class Interpreter: @unchecked Sendable {
    // @unchecked: `executors` and `runStart` are set before main's first step
    // and only read after; `globals` and `measured` are guarded by their locks.
    let scenario: Scenario
    private(set) var executors: [String: any Executor] = [:]
    /// When the run started, for `now`.
    private(set) var runStart = RuntimeInstant(nanoseconds: 0)
    private var processPools: [String: ProcessPoolExecutor] = [:]
    /// multiprocessing's pools, by name (their executors are in `executors` too).
    private(set) var multiprocessingPools: [String: MultiprocessingPool] = [:]
    /// The GIL of this (main) process, shared by the GIL thread pools.
    private var gils: [String: GIL] = [:]
    let sync = SyncObjects()
    let globals = Locked(VariableTable())
    private let measured = Locked<[(name: String, value: Double)]>([])
    /// Set by the manual scheduler: the step each thread is in.
    var steps: StepTracker?
    /// The run's seed, set before main runs: every thread's random numbers
    /// come from it (`RandomStream`).
    var randomSeed: UInt64 = 0
    /// The run's limits (`--max-steps`, …) and the first one reached.
    var limits = RunLimits()
    let limitReached = Locked<RunLimits.Kind?>(nil)
    /// Steps run so far, all threads (counted a thousand at a time).
    private let stepCount = Atomic<Int>(0)
    /// Set when main has ended and its threads were joined: a daemon thread
    /// still running stops at its next step (Python abandons daemon threads
    /// at exit; here it unwinds, so nothing of it runs on after the run).
    let daemonsAbandoned = Atomic<Bool>(false)
    /// Random streams made so far under each name (a thread's, an executor's).
    private let streams = Locked<[String: Int]>([:])
    /// `operationRunners`, held here: the global is reached through a
    /// once-check at every access, and this is read at every step.
    private let runners = operationRunners

    init(scenario: Scenario) {
        self.scenario = scenario
        // The parameters are main's first variables: any expression reads them.
        globals.write { $0 = VariableTable(scenario.paramValues) }
    }

    /// Main's variables now.
    var variables: [String: Value] { globals.read { $0.dictionary } }
    var measurements: [(name: String, value: Double)] { measured.read { $0 } }

    /// Creates the executors in the calling thread's runtime.
    func makeExecutors() throws {
        runStart = currentRuntime.now()
        // GIL pools with the same switch interval share one GIL (one
        // interpreter); a pool with another interval stands for another
        // process, so that one scenario can compare intervals.
        var byInterval: [Double: GIL] = [:]
        for spec in scenario.executors {
            switch spec.kind {
            case .thread:
                let pool = try ThreadPoolExecutor(maxWorkers: spec.maxWorkers)
                executors[spec.name] = pool
                traceExecutor(spec, python: pool.threadNamePrefix, maxWorkers: pool.maxWorkers)
                if spec.gil {
                    let gil = byInterval[spec.switchInterval]
                        ?? GIL(process: byInterval.isEmpty ? "MainProcess" : "Process-\(byInterval.count + 1)",
                               switchInterval: .seconds(saturating: spec.switchInterval))
                    byInterval[spec.switchInterval] = gil
                    gils[spec.name] = gil
                }
            case .process:
                // Each worker process has a GIL of its own; with one thread a
                // worker, nothing contends for it, so none is modelled.
                let pool = try ProcessPoolExecutor(maxWorkers: spec.maxWorkers)
                executors[spec.name] = pool
                processPools[spec.name] = pool
                traceExecutor(spec, python: pool.name, maxWorkers: pool.maxWorkers)
            case .mpThreadPool:
                // Python names ThreadPool's workers as threads with a target: `Thread-7 (worker)`.
                let sync = self.sync
                let pool = try ThreadPoolExecutor(maxWorkers: spec.maxWorkers ?? ThreadPoolExecutor.cpuCount,
                                                  threadNamePrefix: "ThreadPool-\(spec.name)",
                                                  workerName: { _ in sync.nextThreadName(task: "worker") })
                executors[spec.name] = pool
                multiprocessingPools[spec.name] = MultiprocessingPool(name: spec.name, pythonClass: "ThreadPool", executor: pool)
                traceExecutor(spec, python: pool.threadNamePrefix, maxWorkers: pool.maxWorkers)
                try pool.startAllWorkers()
            case .mpPool:
                let pool = try ProcessPoolExecutor(maxWorkers: spec.maxWorkers)
                executors[spec.name] = pool
                processPools[spec.name] = pool
                multiprocessingPools[spec.name] = MultiprocessingPool(name: spec.name, pythonClass: "Pool", executor: pool)
                traceExecutor(spec, python: pool.name, maxWorkers: pool.maxWorkers)
            }
        }
        // Objects after executors: an echo server hands its connections to one.
        try sync.make(scenario.objects) { [self] spec in
            ObjectSpec.Kind.servers.contains(spec.kind) ? try makeServer(spec) : try makeActor(spec)
        }
    }

    /// Tells the trace the scenario's name for an executor, so that every
    /// view can group its workers under it.
    private func traceExecutor(_ spec: ExecutorSpec, python: String, maxWorkers: Int) {
        ThreadContext.current.trace?.record(.line(.executor(.init(executor: python, name: spec.name, kind: spec.kind.rawValue,
                                                                 maxWorkers: maxWorkers, gil: spec.gil))))
    }

    func runMain() throws {
        _ = try run(scenario.main, in: Scope(locals: nil, globals: globals, random: randomSlot(named: "MainThread")))
    }

    // MARK: - Scopes

    /// Where names live: main's (shared) or a task's own, over main's.
    final class Scope: VariableScope, @unchecked Sendable {
        // @unchecked: a task's locals belong to the one thread running it; main's
        // globals are behind their lock.
        private var locals: VariableTable?
        private let globals: Locked<VariableTable>
        /// The GIL the running task holds, if its pool has one.
        let gil: GIL?
        /// An actor's task: where `receive` takes its next message.
        let inbox: Inbox?
        /// The running thread's random numbers (a task called in place shares its caller's).
        let random: RandomSlot
        /// Calls in place under this one (`call`): Python's recursion limit counts them.
        let depth: Int
        /// Steps run in this scope not yet added to the run's count.
        var uncountedSteps = 0

        init(locals: VariableTable?, globals: Locked<VariableTable>, gil: GIL? = nil, inbox: Inbox? = nil, random: RandomSlot, depth: Int = 0) {
            self.locals = locals
            self.globals = globals
            self.gil = gil
            self.inbox = inbox
            self.random = random
            self.depth = depth
        }

        func randomStream() -> RandomStream? { random.stream }

        var values: [String: Value] {
            let shared = globals.read { $0.dictionary }
            guard let locals else { return shared }
            return shared.merging(locals.dictionary) { _, local in local }
        }

        /// A local first, then a global: what `values[name]` gives, without the merge.
        func value(of name: String) -> Value? {
            if let local = locals?[name] { return local }
            return globals.read { $0[name] }
        }

        func value(of name: VariableName) -> Value? {
            if let local = locals?.value(of: name) { return local }
            return globals.read { $0.value(of: name) }
        }

        func bind(_ name: String, _ value: Value) {
            if locals != nil { locals![name] = value } else { globals.write { $0[name] = value } }
        }

        func bind(_ name: VariableName, _ value: Value) {
            if locals != nil { locals![name] = value } else { globals.write { $0[name] = value } }
        }
    }

    enum Flow { case next, returned(Value) }

    /// An actor's mailbox as its task sees it: the next message, waiting up
    /// to a timeout.
    typealias Inbox = @Sendable (Duration?) throws -> Value

    // MARK: - Steps

    func run(_ steps: [Step], in scope: Scope) throws -> Flow {
        // By index: each step is lent from the array, not copied (a copy
        // retains its box and its location's file name).
        for index in steps.indices {
            if case .returned(let value) = try run(steps[index], in: scope) { return .returned(value) }
        }
        return .next
    }

    func evaluate(_ expression: Expression, _ scope: Scope) throws -> Value {
        do { return try expression.evaluate(in: scope) } catch { throw error.raised }
    }

    /// `body`'s result; its EvaluationError raised as the scenario's error.
    func evaluated<R>(_ body: () throws(EvaluationError) -> R) throws -> R {
        do { return try body() } catch { throw error.raised }
    }

    func render<Values: VariableScope>(_ template: Template, _ values: Values) throws -> String {
        do { return try template.render(in: values) } catch { throw error.raised }
    }

    func seconds(_ expression: Expression?, _ scope: Scope, _ what: String) throws -> Duration? {
        guard let expression else { return nil }
        let value = try evaluate(expression, scope)
        if case .none = value { return nil }
        guard let seconds = value.number else {
            throw ScenarioRaised(type: "TypeError", message: "\(what) must be a number of seconds, not \(value.typeName)")
        }
        guard !seconds.isNaN else { throw ScenarioRaised(type: "ValueError", message: "Invalid value NaN (not a number)") }
        // Any non-negative length: one past the clock's end is simply never over.
        return .seconds(saturating: seconds)
    }

    func future(_ expression: Expression, _ scope: Scope) throws -> ScenarioFuture {
        let value = try evaluate(expression, scope)
        guard case .future(let reference) = value, let future = reference as? ScenarioFuture else {
            throw ScenarioRaised(type: "TypeError", message: "\(expression) is \(value.typeName), not a future")
        }
        return future
    }

    func futures(_ expression: Expression, _ scope: Scope) throws -> [ScenarioFuture] {
        let value = try evaluate(expression, scope)
        guard case .list(let items) = value else {
            throw ScenarioRaised(type: "TypeError", message: "\(expression) is \(value.typeName), not a list of futures")
        }
        return try items.map { item in
            guard case .future(let reference) = item, let future = reference as? ScenarioFuture else {
                throw ScenarioRaised(type: "TypeError", message: "\(expression) holds \(item.typeName), not only futures")
            }
            return future
        }
    }

    func list(_ expression: Expression, _ scope: Scope) throws -> [Value] {
        let value = try evaluate(expression, scope)
        guard case .list(let items) = value else {
            throw ScenarioRaised(type: "TypeError", message: "\(expression) is \(value.typeName), not a list")
        }
        return items
    }

    /// Records a scenario's own event (a log line, a note, a measurement):
    /// only a trace reads them, so a lean run skips them.
    func record(_ event: CoreEvent) {
        ThreadContext.current.detailTrace?.record(event)
    }

    /// Counts a line of the log against `limits.logLines`.
    func countLogLine() throws {
        if logLines.wrappingAdd(1, ordering: .relaxed).newValue > limits.logLines {
            reachLimit(.logLines)
            throw RunLimitReached(limit: .logLines)
        }
    }

    func log(_ message: String, level: String = "info") {
        record(.log(level: level, message: message))
    }

    func measure(_ name: String, _ value: Double, _ scope: Scope) {
        measured.write { $0.append((name, value)) }
        record(.measurement(name: name, value: value))
        scope.bind(name, .double(value))
    }

    /// Runs one step: its operation's `run` (Operations/, one extension per
    /// operation type). Every registered operation is runnable (a test checks).
    func run(_ step: Step, in scope: Scope) throws -> Flow {
        scope.uncountedSteps += 1
        if scope.uncountedSteps == 1024 { try countSteps(scope) }
        if stopped.load(ordering: .relaxed), let limit = limitReached.read({ $0 }) { throw RunLimitReached(limit: limit) }
        if daemonsAbandoned.load(ordering: .relaxed), (try? sync.thread(ThreadContext.current.name).daemon) == true {
            throw DaemonAbandoned()
        }
        if let steps {
            // The manual scheduler shows what each thread is doing.
            let thread = ThreadContext.current.name
            steps.enter(step, thread: thread)
            defer { steps.leave(thread: thread) }
            return try dispatch(step, in: scope)
        }
        return try dispatch(step, in: scope)
    }

    private func dispatch(_ step: Step, in scope: Scope) throws -> Flow {
        guard runners.indices.contains(step.kind), let runner = runners[step.kind] else {
            throw ScenarioRaised(type: "SystemError", message: "\(step.location): operation '\(step.operation.key)' has no runner")
        }
        return try runner(step.boxed, self, scope)
    }

    /// Submits a call of `task` with `arguments`, labelled by the submit's
    /// label, else the task's, else as Python writes a call: `loiter(3)`.
    func submit(_ taskName: String, _ arguments: [Value], to executorName: String, label: Template?) throws -> ScenarioFuture {
        if let pool = multiprocessingPools[executorName] {
            throw ScenarioRaised(type: "AttributeError", message: "'\(pool.pythonClass)' object has no attribute 'submit' (use apply_async)")
        }
        return try queue(taskName, arguments, to: executorName, label: label)
    }

    /// A multiprocessing pool by name; another executor: Python's AttributeError.
    func multiprocessingPool(_ name: String, for method: String) throws -> MultiprocessingPool {
        guard let pool = multiprocessingPools[name] else {
            throw ScenarioRaised(type: "AttributeError", message: "'\(name)' is not a multiprocessing pool: it has no attribute '\(method)'")
        }
        return pool
    }

    /// A call of `taskName` queued on any executor (a multiprocessing pool's too).
    func queue(_ taskName: String, _ arguments: [Value], to executorName: String, label: Template?) throws -> ScenarioFuture {
        guard let task = scenario.tasks[taskName], let executor = executors[executorName] else {
            throw ScenarioRaised(type: "NameError", message: "no task '\(taskName)' or executor '\(executorName)'")
        }
        let text = try self.label(of: task, arguments, label)
        let random = randomSlot(named: executorName)
        if let pool = processPools[executorName] {
            let call = ScenarioCall(file: scenario.file, task: task.name, arguments: arguments, params: scenario.paramValues,
                                    randomSeed: random.seed, randomKey: random.key)
            let future = try pool.submit(ScenarioTasks.call, call, label: text)
            return ScenarioFuture(future, label: text)
        }
        let gil = gils[executorName]
        let future = try executor.submit(label: text) { [self] () throws -> Value in
            if let gil { return try gil.holding { try call(task, arguments, gil: gil, random: random) } }
            return try call(task, arguments, random: random)
        }
        return ScenarioFuture(future, label: text)
    }

    /// The task named `name`; none: `NameError`.
    func task(_ name: String) throws -> TaskSpec {
        guard let task = scenario.tasks[name] else { throw ScenarioRaised(type: "NameError", message: "no task '\(name)'") }
        return task
    }

    /// A call's label: the step's, else the task's, else as Python writes a
    /// call (`loiter(3)`).
    func label(of task: TaskSpec, _ arguments: [Value], _ label: Template?) throws -> String {
        guard let template = label ?? task.label else {
            return "\(task.name)(\(arguments.map(\.repr).joined(separator: ", ")))"
        }
        return try render(template, Dictionary(zip(task.params, arguments).map { ($0, $1) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Runs a task's steps with its parameters bound; its return value, or None.
    ///
    /// Its random numbers: `random`, else a stream of its own named by the
    /// calling thread (a started thread's, an actor's names are stable) and
    /// the number of the call on it.
    func call(_ task: TaskSpec, _ arguments: [Value], gil: GIL? = nil, inbox: Inbox? = nil, random: RandomSlot? = nil,
              depth: Int = 0) throws -> Value {
        guard depth < Self.recursionLimit else {
            throw ScenarioRaised(type: "RecursionError", message: "maximum recursion depth exceeded")
        }
        var parameters = VariableTable(minimumCapacity: task.params.count + 4)
        for (name, value) in zip(task.params, arguments) where parameters[name] == nil { parameters[name] = value }
        let random = random ?? RandomSlot(seed: randomSeed, thread: ThreadContext.current.name, numberedBy: self)
        let scope = Scope(locals: parameters, globals: globals, gil: gil, inbox: inbox, random: random, depth: depth)
        defer { try? countSteps(scope) }
        if case .returned(let value) = try run(task.steps, in: scope) { return value }
        return .none
    }

    /// Python's default recursion limit, for `call`s in place.
    static let recursionLimit = 1_000

    /// Adds a scope's steps to the run's count; past `limits.steps`, the run
    /// stops (every thread's next count raises `RunLimitReached`).
    func countSteps(_ scope: Scope) throws {
        let steps = scope.uncountedSteps
        scope.uncountedSteps = 0
        let total = stepCount.wrappingAdd(steps, ordering: .relaxed).newValue
        if total > limits.steps {
            reachLimit(.steps)
            throw RunLimitReached(limit: .steps)
        }
        if let virtual = limits.virtualSeconds, currentRuntime.kind == .deterministic,
           Double(runStart.duration(until: currentRuntime.now()).clampedNanoseconds) / 1e9 > virtual {
            reachLimit(.virtual)
            throw RunLimitReached(limit: .virtual)
        }
    }

    /// Records the first limit reached (the run's report says which); every
    /// thread's next step then stops.
    func reachLimit(_ limit: RunLimits.Kind) {
        limitReached.write { if $0 == nil { $0 = limit } }
        stopped.store(true, ordering: .relaxed)
    }

    /// Set once a limit is reached.
    private let stopped = Atomic<Bool>(false)
    /// Log lines so far (`limits.logLines`).
    private let logLines = Atomic<Int>(0)

    /// At the end of main, once the other threads are joined: the daemon
    /// threads still running are abandoned, and the log says which.
    func abandonDaemons() {
        let alive = sync.daemonsAlive
        daemonsAbandoned.store(true, ordering: .relaxed)
        // Natively a daemon blocked in a wait stays blocked: no deadlock of the run.
        if !alive.isEmpty { (currentRuntime as? NativeRuntime)?.excludeFromDeadlocks(alive) }
        for name in alive {
            log("daemon thread '\(name)' was still running when main ended: abandoned, as Python abandons daemon threads at exit", level: "warning")
        }
    }

    /// The next random stream under `name`: `name#1`, `name#2`, … — the
    /// submissions to an executor, in the order the program makes them, so
    /// the same in both runtimes.
    func randomSlot(named name: String) -> RandomSlot {
        RandomSlot(seed: randomSeed, name: name, number: nextStreamNumber(name))
    }

    /// The next number of the streams under `name`.
    func nextStreamNumber(_ name: String) -> Int {
        streams.write { counts -> Int in
            counts[name, default: 0] += 1
            return counts[name]!
        }
    }

    /// The virtual cost of reading and matching one web-log line in the
    /// deterministic runtime (`find_robots`).
    static let logLineNanoseconds: Int64 = 2_000

    /// Python's str of an exception: its message (`boom`), '' for none.
    static func str(_ error: any Error) -> String {
        let type = pythonTypeName(of: error)
        let message = String(describing: error)
        if message == type { return "" }
        if message.hasPrefix(type + ": ") { return String(message.dropFirst(type.count + 2)) }
        return message
    }

    /// Python's repr of an exception: `ValueError('boom')`.
    /// The core's errors describe themselves as `Type: message` (as Python
    /// prints them); the type is not repeated inside the parentheses.
    static func repr(_ error: any Error) -> String {
        let type = pythonTypeName(of: error)
        if String(describing: error) == type { return "\(type)()" }
        return "\(type)(\(Value.string(str(error)).repr))"
    }
}

/// A thread's random stream, made at its first draw (most runs draw none).
final class RandomSlot: @unchecked Sendable {
    // @unchecked: a slot belongs to the scopes of one thread (a task and the
    // tasks it calls in place); `made` is touched only by that thread.
    let seed: UInt64
    private let name: String
    private var number: Int?
    /// For a thread's own calls: numbers them when the first draws (the
    /// thread's calls and draws come in its program order, in any runtime).
    private unowned(unsafe) let numbering: Interpreter?
    private var made: RandomStream?

    /// The stream named `key` as it is.
    init(seed: UInt64, key: String) {
        (self.seed, self.name, self.number, self.numbering) = (seed, key, nil, nil)
    }

    /// The stream `name#number`.
    init(seed: UInt64, name: String, number: Int) {
        (self.seed, self.name, self.number, self.numbering) = (seed, name, number, nil)
    }

    /// The stream `thread#n` of a call the thread makes, `n` taken only if it
    /// draws (a call that draws nothing costs no lookup).
    init(seed: UInt64, thread: String, numberedBy interpreter: Interpreter) {
        (self.seed, self.name, self.number, self.numbering) = (seed, thread, nil, interpreter)
    }

    var key: String {
        if number == nil, let numbering { number = numbering.nextStreamNumber(name) }
        return number.map { "\(name)#\($0)" } ?? name
    }

    var stream: RandomStream {
        if let made { return made }
        let stream = RandomStream(seed: seed, key: key)
        made = stream
        return stream
    }
}

/// Unwinds a daemon thread abandoned at the end of main.
struct DaemonAbandoned: Error {}
