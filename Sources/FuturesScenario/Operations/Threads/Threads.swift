/// `- start_thread: {task: worker, args: [n], name: "worker-{n}", as: t}`.
public struct StartThreadOperation: Operation {
    public static let key = "start_thread"
    public static let summary = "Makes a thread running a task and starts it; binds its name. Threads still running when main ends are joined, daemon threads abandoned."
    public static let python = "t = Thread(target=worker, args=(n,), name=…, daemon=…); t.start()"
    public static let example = "- start_thread: {task: worker, args: [n], name: \"worker-{n}\", as: t}"
    public static let fields = ThreadOperation.fields
    public static let form = OperationForm.mappingOrValue("task")

    public var thread: ThreadOperation

    public static func read(_ input: OperationInput) -> Self? { ThreadOperation.read(input).map(Self.init) }
    public var reads: [String] { thread.reads }
    public var binds: [String] { thread.binds }
}

/// `- thread: {task: countdown, args: [10], as: t}`: made, not started.
public struct ThreadOperation: Operation {
    public static let key = "thread"
    public static let summary = "Makes a thread that will run a task, without starting it (`start` starts it, once); binds its name. Unnamed, it is called as Python 3.10+ calls it: `Thread-N (task)`."
    public static let python = "t = Thread(target=countdown, args=(10,), daemon=False)"
    public static let example = "- thread: {task: countdown, args: [10], as: t}"
    public static let fields = [
        Field.required("task", .task, "the thread's target"),
        Field("args", .arguments, "its arguments"),
        Field("name", .template, default: "Thread-N (task)", "the thread's name"),
        Field("daemon", .bool, default: "false", "a daemon thread is not waited for when main ends: it is abandoned, and the report says so"),
        Field("as", .name, "binds the thread's name"),
    ]
    public static let form = OperationForm.mappingOrValue("task")

    public var task: String
    public var arguments: [Expression]
    public var threadName: Template?
    public var daemon: Bool
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        let arguments = input.arguments()
        return input.task(arguments: arguments.count).map {
            Self(task: $0, arguments: arguments, threadName: input.template("name"), daemon: input.bool("daemon", default: false),
                 name: input.name("as"))
        }
    }
    public var reads: [String] { arguments.names + threadName.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- start: t`: starts a thread made by `thread`.
public struct StartOperation: Operation {
    public static let key = "start"
    public static let summary = "Starts a thread made by `thread`. A second start raises `RuntimeError: threads can only be started once`."
    public static let python = "t.start()"
    public static let example = "- start: t"
    public static let fields = [Field.required("thread", .expression, "the thread's name")]
    public static let form = OperationForm.value("thread")

    public var thread: Expression

    public static func read(_ input: OperationInput) -> Self? { input.expression("thread").map(Self.init) }
    public var reads: [String] { thread.names }
}

/// `- is_alive: {thread: t, as: alive}`.
public struct IsAliveOperation: Operation {
    public static let key = "is_alive"
    public static let summary = "Binds whether a thread is alive: started and not yet ended (False before `start` and after its task returns)."
    public static let python = "alive = t.is_alive()"
    public static let example = "- is_alive: {thread: t, as: alive}"
    public static let fields = [
        Field.required("thread", .expression, "the thread's name"),
        Field.required("as", .name, "binds True or False"),
    ]
    public static let form = OperationForm.mapping

    public var thread: Expression
    public var name: String

    public static func read(_ input: OperationInput) -> Self? {
        guard let thread = input.expression("thread"), let name = input.name("as") else { return nil }
        return Self(thread: thread, name: name)
    }
    public var reads: [String] { thread.names }
    public var binds: [String] { [name] }
}

/// `- join: t`, `- join: ["worker-0", "worker-1"]` or `- join: {threads: t, timeout: 2}`.
public struct JoinOperation: Operation {
    public static let key = "join"
    public static let summary = "Waits for threads to end, by name (one, or a list), up to a timeout each if given (then `is_alive` tells whether it ended). Joining a thread not started raises `RuntimeError: cannot join thread before it is started`."
    public static let python = "t.join(timeout=2)"
    public static let example = "- join: t"
    public static let fields = [
        Field.required("threads", .expression, "a thread's name, or a list of names"),
        Field("timeout", .expression, "seconds to wait for each; none: until it ends"),
    ]
    public static let form = OperationForm.mappingOrValue("threads")

    public var threads: Expression
    public var timeout: Expression?

    public static func read(_ input: OperationInput) -> Self? {
        input.expression("threads").map { Self(threads: $0, timeout: input.expression("timeout")) }
    }
    public var reads: [String] { threads.names + (timeout?.names ?? []) }
}

/// Cookbook 12.12: `- cooperative: [{task: countdown, args: [10]}, …]`.
public struct CooperativeOperation: Operation {
    public static let key = "cooperative"
    public static let summary = "Cookbook 12.12: runs the tasks one at a time, round-robin between their `yield` steps, until all end."
    public static let python = "sched.new_task(countdown(10)); sched.new_task(countup(15)); sched.run()"
    public static let example = "- cooperative: [{task: countdown, args: [10]}, {task: countup, args: [15]}]"
    public static let call = [Field.required("task", .task, "the task"), Field("args", .arguments, "its arguments")]
    public static let fields = [Field.required("tasks", .list(.record(call)), "the tasks and their arguments")]
    public static let form = OperationForm.value("tasks")

    public var tasks: [(task: String, arguments: [Expression])]

    public static func read(_ input: OperationInput) -> Self? {
        guard let calls = input.records("tasks", call) else { return nil }
        return Self(tasks: calls.compactMap { call in
            let arguments = call.arguments()
            return call.task(arguments: arguments.count).map { ($0, arguments) }
        })
    }
    public var reads: [String] { tasks.flatMap { $0.arguments.names } }
}

/// `- yield:`: in a cooperative task, gives way to the next.
public struct YieldOperation: Operation {
    public static let key = "yield"
    public static let summary = "In a cooperative task: gives way to the next one."
    public static let python = "yield"
    public static let example = "- yield:"
    public static let fields: [Field] = []
    public static let form = OperationForm.empty

    public static func read(_ input: OperationInput) -> Self? { Self() }
}

/// `- sched_yield:`: a thread offers the CPU to another runnable thread.
public struct SchedYieldOperation: Operation {
    public static let key = "sched_yield"
    public static let summary = "A thread offers its turn: another runnable thread may run now, or this one goes on (a scheduling point where it stays runnable; `sleep: 0` instead lets every other runnable thread go first)."
    public static let python = "os.sched_yield()"
    public static let example = "- sched_yield:"
    public static let fields: [Field] = []
    public static let form = OperationForm.empty

    public static func read(_ input: OperationInput) -> Self? { Self() }
}
