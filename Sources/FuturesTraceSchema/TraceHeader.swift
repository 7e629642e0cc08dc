/// The first line of a trace file: what produced the events that follow.
public struct TraceHeader: Sendable, Equatable {
    public static let formatName = "futureslab-trace"
    /// 2 added the `executor` and `object` events; a version-1 trace (without
    /// them) still reads.
    public static let currentVersion = 2
    public static let readableVersions = 1...2

    public var format = TraceHeader.formatName
    public var version = TraceHeader.currentVersion
    /// The scenario or program that ran.
    public var program: String
    public var runtime: RuntimeKind
    /// The wall clock (native) or virtual time (deterministic).
    public var clock: ClockKind
    public var seed: UInt64?
    public var strategy: SchedulingStrategy?
    public var cores: Int?
    /// The scenario's title, when a scenario ran.
    public var title: String?
    /// The scenario's description (what the experiment shows), for handouts.
    public var description: String?
    /// The scenario's parameters in force (`--set`, or their defaults), by
    /// name: name and the value as JSON text (`5`, `true`, `"x"`).
    public var params: [Param] = []

    public struct Param: Sendable, Equatable {
        public var name: String
        /// The value as a JSON literal.
        public var json: String

        public init(name: String, json: String) {
            self.name = name
            self.json = json
        }
    }

    public init(program: String, runtime: RuntimeKind, clock: ClockKind? = nil, seed: UInt64? = nil,
                strategy: SchedulingStrategy? = nil, cores: Int? = nil) {
        self.program = program
        self.runtime = runtime
        self.clock = clock ?? runtime.clock
        self.seed = seed
        self.strategy = strategy
        self.cores = cores
    }
}
