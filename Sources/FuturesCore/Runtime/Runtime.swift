import FuturesTraceSchema
import FuturesTrace
/// The runtime seam: the one place where the executor core touches time and threads.
///
/// Every blocking operation of the core — a worker waiting for work, `result()`,
/// `wait`, `asCompleted`, a thread join, a sleep — goes through a `Runtime` and the
/// calling thread's `Parker`. Two runtimes sit behind it:
///
/// - `NativeRuntime`: real OS threads and the wall clock; what a live demo runs and
///   what the benchmarks measure.
/// - `DeterministicRuntime`: one simulated thread runs at a time (fibers of one
///   host thread); a seeded scheduler picks the next at each operation of this
///   seam, and time is virtual.
///
/// Threading rule: the core never calls into the seam while it holds one of its
/// own locks, with one exception — `Parker.unpark()`, which must neither block nor
/// switch threads. That rule is what lets a deterministic runtime stop a thread at
/// any seam operation without freezing a lock that another thread needs.
///
/// Rejected alternative: passing a runtime to every future. A future would grow by
/// a pointer (the pending-future budget is 128 bytes), and the thread that blocks is
/// the one whose runtime matters, so the blocking thread's `ThreadContext` names it.
public protocol Runtime: AnyObject, Sendable {
    /// Which runtime this is; shown in traces and reports.
    var kind: RuntimeKind { get }

    /// Where the core reports what happens. `nil` (the default) costs one
    /// branch on the paths that would report.
    var trace: (any TraceSink)? { get }

    /// This runtime's monotonic clock: the wall clock, or virtual time.
    func now() -> RuntimeInstant

    /// Blocks the calling thread for `duration` of this runtime's time.
    func sleep(for duration: Duration)

    /// Starts a thread that belongs to this runtime and runs `body`.
    /// The new thread's `ThreadContext` carries `name` and this runtime.
    /// Throws `RuntimeError` when the system refuses a new thread.
    func startThread(named name: String, _ body: @escaping @Sendable () -> Void) throws -> any RuntimeThread

    /// CPU-bound work for `duration`: natively a calibrated spin on a real
    /// core; in a deterministic runtime, one of its simulated cores is occupied
    /// for that much virtual time (waiting for a free core first).
    func busy(for duration: Duration)

    /// The next number for a pool's default name (`ThreadPoolExecutor-<k>`):
    /// class-wide in the native runtime, as in CPython; per run in a
    /// deterministic one, so that its traces do not depend on earlier runs.
    func nextExecutorIndex() -> UInt64

    /// Busy-waits up to `duration` for `condition` to hold, without blocking;
    /// returns whether it held. A native runtime spins (a worker that just ran
    /// out of work usually gets more within microseconds, and sleeping costs a
    /// wake-up); a deterministic runtime returns false at once, since no other
    /// thread runs while this one spins.
    func spin(upTo duration: Duration, until condition: () -> Bool) -> Bool

    /// A fresh id for a future that will be traced (1, 2, 3, … per runtime, so
    /// two runs of the same program number their futures alike).
    func nextFutureID() -> UInt64
}

/// How a `park` ended.
public enum ParkResult: Sendable, Equatable {
    /// A token was consumed (possibly a stale one: re-check the condition).
    case unparked
    /// The deadline passed without a token.
    case timedOut
    /// The runtime found this wait in a deadlock and released it; the blocking
    /// call should throw `DeadlockError(report:)`. Native parking returns it
    /// when the watchdog releases a deadlock (only with a watchdog).
    case deadlocked(DeadlockReport)
}

/// A one-token parker owned by one thread: `unpark` leaves a token, `park`
/// consumes one or blocks until one arrives (or the deadline passes).
///
/// `park` may return for a stale token left by an earlier wait of the same
/// thread, so every caller re-checks its condition in a loop.
public protocol Parker: AnyObject, Sendable {
    func park(until deadline: RuntimeInstant?, reason: WaitReason) -> ParkResult
    /// Never blocks and never switches threads (see the threading rule above).
    func unpark()
}

/// A thread started by a runtime.
public protocol RuntimeThread: AnyObject, Sendable {
    var name: String { get }
    /// Blocks the calling thread, through the seam, until this thread has ended.
    func join()
    /// `join()` for at most `timeout` (nil: no limit); whether it ended.
    func join(timeout: Duration?) -> Bool
    /// Whether it has not ended yet (`Thread.is_alive()` once started).
    var isAlive: Bool { get }
}

extension Runtime {
    /// Reports `event` if this runtime is traced.
    @inlinable
    public func record(_ event: @autoclosure () -> CoreEvent) {
        if let trace { trace.record(event()) }
    }

    /// The instant `timeout` from now, or `nil` for no timeout.
    public func deadline(after timeout: Duration?) -> RuntimeInstant? {
        timeout.map { now().advanced(by: $0) }
    }
}
