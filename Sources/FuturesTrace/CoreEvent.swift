import FuturesTraceSchema

/// What the executor core reports to a `TraceSink`: every state change of a
/// future, every worker's life, every wait. Trace lines (`TraceEvent`, in
/// `FuturesTraceSchema`) are made from these; nothing else in the core knows
/// about traces.
///
/// Events carry no time: the sink stamps each one (sequence number and time on
/// its runtime's clock) as it records it, so stamps are ordered like records.
public enum CoreEvent: Sendable, Equatable {
    /// An event already as a trace line records it: a submit, a start, a
    /// cancel, a worker's life, a shutdown, a log line, a note, a
    /// measurement, an expectation, the GIL and locks changing hands
    /// (`TraceEvent.Payload` documents each). The constructors below name them.
    case line(TraceEvent.Payload)
    /// The call returned; `outcome` describes the result when the line is made.
    case returned(future: UInt64, outcome: TracedOutcome)
    /// The call threw, or the executor failed the future.
    case raised(future: UInt64, outcome: TracedOutcome)
    /// A thread began or ended a blocking wait (the wait-for graph reads the reason).
    case waitBegan(thread: String, reason: WaitReason)
    case waitEnded(thread: String, reason: WaitReason, timedOut: Bool)
    /// The runtime found a deadlock and released the blocked calls.
    case deadlock(DeadlockReport)

    public static func submitted(future: UInt64, executor: String, label: String?) -> CoreEvent {
        .line(.submitted(future: future, executor: executor, label: label))
    }
    public static func started(future: UInt64, worker: String) -> CoreEvent { .line(.started(future: future, worker: worker)) }
    public static func cancelled(future: UInt64) -> CoreEvent { .line(.cancelled(future: future)) }
    public static func cancelNotified(future: UInt64) -> CoreEvent { .line(.cancelNotified(future: future)) }
    public static func workerStarted(worker: String, executor: String) -> CoreEvent { .line(.workerStarted(worker: worker, executor: executor)) }
    public static func workerExited(worker: String, executor: String) -> CoreEvent { .line(.workerExited(worker: worker, executor: executor)) }
    public static func shutdown(executor: String, wait: Bool, cancelFutures: Bool) -> CoreEvent {
        .line(.shutdown(executor: executor, wait: wait, cancelFutures: cancelFutures))
    }
    public static func broken(executor: String, reason: String) -> CoreEvent { .line(.broken(executor: executor, reason: reason)) }
    public static func log(level: String, message: String) -> CoreEvent { .line(.log(level: level, message: message)) }
    public static func note(_ text: String) -> CoreEvent { .line(.note(text)) }
    public static func measurement(name: String, value: Double) -> CoreEvent { .line(.measurement(name: name, value: value)) }
    public static func expectation(text: String, passed: Bool) -> CoreEvent { .line(.expectation(text: text, passed: passed)) }
    public static func gilTaken(process: String) -> CoreEvent { .line(.gilTaken(process: process)) }
    public static func gilDropped(process: String) -> CoreEvent { .line(.gilDropped(process: process)) }
    public static func lockAcquired(name: String) -> CoreEvent { .line(.lockAcquired(name: name)) }
    public static func lockReleased(name: String) -> CoreEvent { .line(.lockReleased(name: name)) }
    public static func question(_ question: TraceEvent.Question) -> CoreEvent { .line(.question(question)) }
    public static func object(_ name: String, kind: String, action: String, value: Int? = nil, limit: Int? = nil) -> CoreEvent {
        .line(.object(.init(name: name, kind: kind, action: action, value: value, limit: limit)))
    }
}

/// Receives core events. Called from any thread, concurrently; implementations
/// serialise as they need. A sink must not call back into the executor core.
public protocol TraceSink: AnyObject, Sendable {
    func record(_ event: CoreEvent)

    /// Fast paths for the three events every task produces. The defaults build
    /// the `CoreEvent`; a recorder can store them more cheaply.
    func recordSubmitted(future: UInt64, executor: String, label: String?)
    func recordStarted(future: UInt64, worker: String)
    func recordFinished(future: UInt64, failed: Bool, outcome: any OutcomeSource)
    /// A call that returned `Void`: nothing to describe, nothing to keep alive.
    func recordReturnedVoid(future: UInt64)
    /// Whether the sink keeps events beyond the life of futures and workers
    /// (locks, objects, the GIL, logs). When it does not — the runtime's own
    /// observer with no trace behind it, a lean run — those events are not
    /// even made (`ThreadContext.detailTrace`).
    var keepsEveryEvent: Bool { get }
    /// The calling thread's own lane, for a thread that records many task
    /// events (a pool's worker) to write them directly; nil: a sink that
    /// must see each event itself (the default).
    func lane() -> TraceLane?
}

extension TraceSink {
    public var keepsEveryEvent: Bool { true }

    public func lane() -> TraceLane? { nil }

    public func recordSubmitted(future: UInt64, executor: String, label: String?) {
        record(.submitted(future: future, executor: executor, label: label))
    }

    public func recordStarted(future: UInt64, worker: String) {
        record(.started(future: future, worker: worker))
    }

    public func recordFinished(future: UInt64, failed: Bool, outcome: any OutcomeSource) {
        let traced = TracedOutcome(outcome)
        record(failed ? .raised(future: future, outcome: traced) : .returned(future: future, outcome: traced))
    }

    public func recordReturnedVoid(future: UInt64) {
        record(.returned(future: future, outcome: .void))
    }
}

extension TraceEvent {
    /// The line for a core event recorded by `thread`; results are described now.
    public init(seq: Int, nanoseconds: UInt64, thread: String?, event: CoreEvent) {
        switch event {
        case .line(let payload):
            self.init(seq: seq, nanoseconds: nanoseconds, thread: thread, payload)
        case .returned(let future, let outcome):
            let text = outcome.text
            self.init(seq: seq, nanoseconds: nanoseconds, thread: thread, .returned(future: future, result: text.description, type: text.type))
        case .raised(let future, let outcome):
            let text = outcome.text
            self.init(seq: seq, nanoseconds: nanoseconds, thread: thread, .raised(future: future, exception: text.description, type: text.type))
        case .waitBegan(let waiter, let reason):
            self.init(seq: seq, nanoseconds: nanoseconds, thread: waiter, .waitBegan(Wait(reason)))
        case .waitEnded(let waiter, let reason, let timedOut):
            self.init(seq: seq, nanoseconds: nanoseconds, thread: waiter, .waitEnded(Wait(reason), timedOut: timedOut))
        case .deadlock(let report):
            self.init(seq: seq, nanoseconds: nanoseconds, thread: thread, .deadlock(Deadlock(report)))
        }
    }
}
