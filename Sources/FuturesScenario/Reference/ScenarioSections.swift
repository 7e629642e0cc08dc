/// The keys of a scenario file outside its steps — the top level, `runtime`,
/// an executor, an object, a task, the expectations — declared once: the
/// reader checks keys against these, and the schema and the reference are
/// generated from them (as they are from the operations' own fields).
public enum ScenarioSections {
    public static let top = [
        Field.required("title", .text, "one line, shown in reports, `list`, the trace header and the SVG"),
        Field("description", .text, "what the experiment shows (free text)"),
        Field("params", .mapping(key: "parameter name", value: .record(param)),
              "knobs a teacher turns: each a name any expression reads (`= workers` in a literal field); `run --set name=value` changes it"),
        Field("variants", .list(.record(variant)),
              "runs of this file with other parameter values, shown side by side (stacked on one time axis) and compared"),
        Field("runtime", .record(runtime), "how the program runs (`--runtime` and `--seed` override it)"),
        Field("executors", .list(.record(executor)), "the executors, by name"),
        Field("objects", .list(.record(object)), "locks, events, queues, actors, servers…, made before main runs"),
        Field("tasks", .mapping(key: "task name", value: .record(task)), "the callables the program submits or calls"),
        Field.required("main", .steps, "the main program"),
        Field("expect", .list(.expectation), "what the audience should see, checked after the run"),
    ]

    public static let param = [
        Field.required("default", .paramValue, "its value unless `--set` changes it: a whole number, a number, true / false or text (its type is the parameter's)"),
        Field("min", .number(minimum: nil, exclusive: false), "the least value `--set` may give"),
        Field("max", .number(minimum: nil, exclusive: false), "the most value `--set` may give"),
        Field("choices", .list(.paramValue), "the only values `--set` may give"),
        Field("doc", .text, "what it changes, for the knob panel and `check`"),
    ]

    public static let variant = [
        Field.required("name", .name, "the variant's name, over its lanes and in the comparison"),
        Field.required("set", .mapping(key: "parameter name", value: .paramValue), "the parameters it sets (the others keep their values)"),
    ]

    public static let runtime = [
        Field("kind", .choice(RuntimeSpec.Kind.allCases.map(\.rawValue)), default: "deterministic",
              "`deterministic` (seeded, virtual time) or `native` (real threads, the wall clock)"),
        Field("seed", .integer(minimum: 0), default: "0", "the seed of the deterministic scheduler"),
        Field("cores", .integer(minimum: 1), default: "2", "simulated cores for CPU work (deterministic runtime)"),
        Field("strategy", .choice(RuntimeSpec.Strategy.allCases.map(\.rawValue)), default: "random",
              "how the deterministic scheduler picks the next thread"),
    ]

    public static let executor = [
        Field.required("name", .name, "the executor's name; operations name it"),
        Field("kind", .choice(ExecutorSpec.Kind.allCases.map(\.rawValue)), default: "thread",
              "`thread` (ThreadPoolExecutor), `process` (ProcessPoolExecutor), `mp_thread_pool` (multiprocessing.pool.ThreadPool) or `mp_pool` (multiprocessing.Pool)"),
        Field("max_workers", .integer(minimum: 1), default: "min(32, cpus + 4) threads; the CPU count for processes",
              "how many workers"),
        Field("gil", .bool, default: "false", "run a thread pool's tasks under the GIL model"),
        Field("switch_interval", .number(minimum: 0, exclusive: true), default: "0.005",
              "`sys.setswitchinterval`: seconds CPU work keeps the GIL when another thread wants it"),
    ]

    public static let object = [
        Field.required("name", .name, "the object's name; operations name it"),
        Field.required("kind", .choice(ObjectSpec.Kind.allCases.map(\.rawValue)), "what it is"),
        Field("value", .integer(minimum: 0), default: "1", "a semaphore's initial value"),
        Field("maxsize", .integer(minimum: 0), default: "0 (unbounded)", "a queue's bound"),
        Field("lock", .name, default: "its own", "a condition's lock (a `lock` object)"),
        Field("task", .task, "an actor's run: a task of no parameters that takes messages with `receive`"),
        Field("handlers", .mapping(key: "tag", value: .task), "a tagged actor's tasks by tag"),
        Field("mode", .choice(["local", "delay", "error"]), default: "local", "a flag server's mode"),
        Field("delay", .number(minimum: 0, exclusive: false), default: "0.5", "a flag server's delay before each answer, in seconds"),
        Field("error_rate", .fraction, default: "0.25", "the share of flags an error-mode server answers with 503"),
        Field("executor", .executor, default: "a thread per client", "the thread pool an echo server hands connections to"),
    ]

    /// The object kinds each kind-specific field belongs to.
    public static let objectFieldKinds: [String: [ObjectSpec.Kind]] = [
        "value": [.semaphore, .boundedSemaphore],
        "maxsize": ObjectSpec.Kind.queues,
        "lock": [.condition],
        "task": [.actor],
        "handlers": [.taggedActor],
        "mode": [.httpServer], "delay": [.httpServer], "error_rate": [.httpServer],
        "executor": [.echoServer],
    ]

    public static let task = [
        Field("params", .list(.name), "bound to the call's arguments"),
        Field("label", .template, default: "the call as Python writes it: `download('BR', 3)`", "how futures of this task are named"),
        Field.required("steps", .steps, "what a call runs"),
    ]

    /// The expectations: each is one key, its value of this type.
    public static let expectations: [Field] = [
        Field("value", .record([.required("of", .expression, "over main's variables after the run"),
                                .required("equal", .expression, "a plain value"),
                                Field("runtime", .choice(["deterministic", "native"]), "checked only in this runtime (what only a seeded schedule promises)")]),
              "the expression equals the value"),
        Field("completion_order", .list(.text), "the listed futures finished (returned, raised, cancelled) in this order"),
        Field("start_order", .list(.text), "the listed futures started in this order"),
        Field("states", .mapping(key: "future label", value: .choice(Expectation.states)),
              "every future with that label ended in that state"),
        Field("deadlock", .bool, "a deadlock was (or was not) found"),
        Field("elapsed", .record(bounds), "the main program's seconds, start to end, on the run's clock"),
        Field("measurement", .record([.required("name", .name, "the measurement")] + bounds), "the named measurement is within bounds"),
        Field("log_order", .list(.text), "these log lines appear, in this order (others may come between)"),
    ]

    static let bounds = [Field("min", .number(minimum: nil, exclusive: false), "at least"),
                         Field("max", .number(minimum: nil, exclusive: false), "at most")]
}

extension Array where Element == Field {
    var names: [String] { map(\.name) }
    var requiredNames: [String] { filter(\.required).map(\.name) }
}
