/// The first line of a trace file: what produced the events that follow.
public struct TraceHeader: Sendable, Equatable {
    public static let formatName = "futureslab-trace"
    public static let currentVersion = 1

    public var format = TraceHeader.formatName
    public var version = TraceHeader.currentVersion
    /// The scenario or program that ran.
    public var program: String
    /// "native" or "deterministic".
    public var runtime: String
    /// "wall" (native) or "virtual" (deterministic).
    public var clock: String
    public var seed: UInt64?
    public var strategy: String?
    public var cores: Int?
    /// The scenario's title, when a scenario ran.
    public var title: String?

    public init(program: String, runtime: String, clock: String, seed: UInt64? = nil, strategy: String? = nil, cores: Int? = nil) {
        self.program = program
        self.runtime = runtime
        self.clock = clock
        self.seed = seed
        self.strategy = strategy
        self.cores = cores
    }
}

/// One event line of a trace file. `kind` says which of the optional fields
/// are set (docs/trace-format.md lists them per kind).
public struct TraceEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case submitted, started, returned, raised, cancelled
        case cancelNotified = "cancel_notified"
        case workerStarted = "worker_started"
        case workerExited = "worker_exited"
        case shutdown, broken
        case waitBegan = "wait_began"
        case waitEnded = "wait_ended"
        case deadlock, log
        case note, measurement, expectation
        case gilTaken = "gil_taken"
        case gilDropped = "gil_dropped"
        case lockAcquired = "lock_acquired"
        case lockReleased = "lock_released"
    }

    /// 1, 2, 3, … in the order the events happened.
    public var seq: Int
    /// Nanoseconds since the run began, on the run's clock (virtual or wall).
    public var nanoseconds: UInt64
    public var kind: Kind
    /// The thread that did what the event records.
    public var thread: String?
    public var future: UInt64?
    public var futures: [UInt64]?
    public var label: String?
    public var worker: String?
    public var executor: String?
    public var result: String?
    public var exception: String?
    /// The type of `result` or `exception`.
    public var type: String?
    public var message: String?
    /// What a wait waits for, in words.
    public var waitsFor: String?
    /// Why: a wait's kind (`future`, `futures`, `work`, `thread`, `sleep`,
    /// `other`), a deadlock's kind, a broken executor's reason.
    public var reason: String?
    public var timedOut: Bool?
    public var wait: Bool?
    public var cancelFutures: Bool?
    public var level: String?
    public var cycle: [String]?
    /// Deadlocks: each blocked thread and what it waits for.
    public var blocked: [BlockedWait]?
    /// Measurements: the name and the number.
    public var name: String?
    public var value: Double?
    /// Expectations: whether it held.
    public var passed: Bool?

    public struct BlockedWait: Sendable, Equatable {
        public var thread: String
        public var waitsFor: String

        public init(thread: String, waitsFor: String) {
            self.thread = thread
            self.waitsFor = waitsFor
        }
    }

    public init(seq: Int, nanoseconds: UInt64, kind: Kind) {
        self.seq = seq
        self.nanoseconds = nanoseconds
        self.kind = kind
    }

    /// Seconds since the run began.
    public var t: Double { Double(nanoseconds) / 1e9 }
}

extension TraceEvent {
    /// The line for a core event recorded by `thread`.
    public init(seq: Int, nanoseconds: UInt64, thread: String?, event: CoreEvent) {
        func make(_ kind: Kind) -> TraceEvent {
            var line = TraceEvent(seq: seq, nanoseconds: nanoseconds, kind: kind)
            line.thread = thread
            return line
        }
        switch event {
        case .submitted(let future, let executor, let label):
            self = make(.submitted)
            self.future = future
            self.executor = executor
            self.label = label
        case .started(let future, let worker):
            self = make(.started)
            self.future = future
            self.worker = worker
        case .returned(let future, let outcome):
            self = make(.returned)
            self.future = future
            let text = outcome.text
            self.result = text.description
            self.type = text.type
        case .raised(let future, let outcome):
            self = make(.raised)
            self.future = future
            let text = outcome.text
            self.exception = text.description
            self.type = text.type
        case .cancelled(let future):
            self = make(.cancelled)
            self.future = future
        case .cancelNotified(let future):
            self = make(.cancelNotified)
            self.future = future
        case .workerStarted(let worker, let executor):
            self = make(.workerStarted)
            self.worker = worker
            self.executor = executor
        case .workerExited(let worker, let executor):
            self = make(.workerExited)
            self.worker = worker
            self.executor = executor
        case .shutdown(let executor, let wait, let cancelFutures):
            self = make(.shutdown)
            self.executor = executor
            self.wait = wait
            self.cancelFutures = cancelFutures
        case .broken(let executor, let reason):
            self = make(.broken)
            self.executor = executor
            self.reason = reason
        case .waitBegan(let waiter, let reason):
            self = make(.waitBegan)
            self.thread = waiter
            self.setWait(reason)
        case .waitEnded(let waiter, let reason, let timedOut):
            self = make(.waitEnded)
            self.thread = waiter
            self.setWait(reason)
            self.timedOut = timedOut
        case .deadlock(let report):
            self = make(.deadlock)
            self.message = report.description
            self.reason = report.kind.rawValue
            self.cycle = report.cycle
            self.blocked = report.blocked.map { BlockedWait(thread: $0.name, waitsFor: $0.waitsFor) }
        case .log(let level, let message):
            self = make(.log)
            self.level = level
            self.message = message
        case .note(let text):
            self = make(.note)
            self.message = text
        case .measurement(let name, let value):
            self = make(.measurement)
            self.name = name
            self.value = value
        case .expectation(let text, let passed):
            self = make(.expectation)
            self.message = text
            self.passed = passed
        case .gilTaken(let process):
            self = make(.gilTaken)
            self.executor = process
        case .gilDropped(let process):
            self = make(.gilDropped)
            self.executor = process
        case .lockAcquired(let name):
            self = make(.lockAcquired)
            self.label = name
        case .lockReleased(let name):
            self = make(.lockReleased)
            self.label = name
        }
    }

    private mutating func setWait(_ reason: WaitReason) {
        waitsFor = reason.description
        switch reason {
        case .future(let id):
            self.reason = "future"
            future = id
        case .futures(let ids, _):
            self.reason = "futures"
            futures = ids
        case .work(let executor):
            self.reason = "work"
            self.executor = executor
        case .thread:
            self.reason = "thread"
        case .sleep:
            self.reason = "sleep"
        case .io:
            self.reason = "io"
        case .gil:
            self.reason = "gil"
        case .lock(let name, _):
            self.reason = "lock"
            self.label = name
        case .primitive(let kind, let name, _):
            self.reason = kind
            self.label = name
        case .other:
            self.reason = "other"
        }
    }
}
