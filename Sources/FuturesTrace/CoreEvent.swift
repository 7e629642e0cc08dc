/// What the executor core reports to a `TraceSink`: every state change of a
/// future, every worker's life, every wait. The trace format (a later issue)
/// is written from these; nothing else in the core knows about traces.
///
/// Events carry no time: the sink stamps each one (sequence number and time on
/// its runtime's clock) as it records it, so stamps are ordered like records.
public enum CoreEvent: Sendable, Equatable {
    /// A future was created by `submit` (label: how the caller named the call).
    case submitted(future: UInt64, executor: String, label: String?)
    /// A worker took the future and runs its call.
    case started(future: UInt64, worker: String)
    /// The call returned; `outcome` describes the result and its type.
    case returned(future: UInt64, outcome: TracedOutcome)
    /// The call threw, or the executor failed the future; `outcome` describes the error.
    case raised(future: UInt64, outcome: TracedOutcome)
    /// `cancel()` succeeded on a pending future.
    case cancelled(future: UInt64)
    /// A worker saw the cancelled future and skipped it (CANCELLED_AND_NOTIFIED).
    case cancelNotified(future: UInt64)
    /// A worker thread of `executor` began or ended.
    case workerStarted(worker: String, executor: String)
    case workerExited(worker: String, executor: String)
    /// `shutdown(wait:cancelFutures:)` was called.
    case shutdown(executor: String, wait: Bool, cancelFutures: Bool)
    /// The executor became unusable (e.g. an initializer failed).
    case broken(executor: String, reason: String)
    /// A thread began or ended a blocking wait.
    case waitBegan(thread: String, reason: WaitReason)
    case waitEnded(thread: String, reason: WaitReason, timedOut: Bool)
    /// The runtime found a deadlock and released the blocked calls.
    case deadlock(DeadlockReport)
    /// Something the core logged (a failing callback, a failing initializer).
    case log(level: String, message: String)
    /// Narration a scenario shows as its program reaches it (classroom notes).
    case note(String)
    /// A number a scenario measured (the elapsed time of a variant, a speed-up).
    case measurement(name: String, value: Double)
    /// A scenario's expectation, checked after its run.
    case expectation(text: String, passed: Bool)
    /// The recording thread took, or dropped, the GIL of `process`.
    case gilTaken(process: String)
    case gilDropped(process: String)
    /// The recording thread took, or let go of, the lock `name`.
    case lockAcquired(name: String)
    case lockReleased(name: String)
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
}

extension TraceSink {
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
