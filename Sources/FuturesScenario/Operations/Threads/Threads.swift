/// `- start_thread: {task: worker, args: [n], name: "worker-{n}", as: t}`.
public struct StartThreadOperation: Operation {
    public static let key = "start_thread"
    public static let summary = "Starts a thread running a task; binds its name. Threads still running when main ends are joined."
    public static let python = "t = Thread(target=worker, args=(n,), name=…); t.start()"
    public static let example = "- start_thread: {task: worker, args: [n], name: \"worker-{n}\", as: t}"
    public static let fields = [
        Field.required("task", .task, "the thread's target"),
        Field("args", .arguments, "its arguments"),
        Field("name", .template, default: "Thread-N", "the thread's name"),
        Field("as", .name, "binds the thread's name"),
    ]
    public static let form = OperationForm.mappingOrValue("task")

    public var task: String
    public var arguments: [Expression]
    public var threadName: Template?
    public var name: String?

    public static func read(_ input: OperationInput) -> Self? {
        let arguments = input.arguments()
        return input.task(arguments: arguments.count).map {
            Self(task: $0, arguments: arguments, threadName: input.template("name"), name: input.name("as"))
        }
    }
    public var reads: [String] { arguments.names + threadName.names }
    public var binds: [String] { name.map { [$0] } ?? [] }
}

/// `- join: t` or `- join: ["worker-0", "worker-1"]`.
public struct JoinOperation: Operation {
    public static let key = "join"
    public static let summary = "Waits for threads to end, by name (one, or a list)."
    public static let python = "t.join()"
    public static let example = "- join: t"
    public static let fields = [Field.required("threads", .expression, "a thread's name, or a list of names")]
    public static let form = OperationForm.value("threads")

    public var threads: Expression

    public static func read(_ input: OperationInput) -> Self? { input.expression("threads").map(Self.init) }
    public var reads: [String] { threads.names }
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
