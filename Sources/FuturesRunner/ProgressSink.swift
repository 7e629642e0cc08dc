import FuturesCore
import FuturesTrace
import FuturesTraceSchema
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts futures submitted and done on their way to the recorder, for a
/// progress line while a native run goes on (the seed shows tqdm's bar).
public final class ProgressSink: RuntimeAttachedSink {
    private let downstream: TraceRecorder
    private let submittedCount = Atomic<Int>(0)
    private let doneCount = Atomic<Int>(0)

    init(_ downstream: TraceRecorder) {
        self.downstream = downstream
    }

    /// (done, submitted) so far.
    public var counts: (done: Int, submitted: Int) {
        (doneCount.load(ordering: .relaxed), submittedCount.load(ordering: .relaxed))
    }

    public func attach(header: TraceHeader, clock: TraceClock, currentThread: @escaping @Sendable () -> String) {
        downstream.attach(header: header, clock: clock, currentThread: currentThread)
    }

    /// The recorder's: it keeps the per-thread buffers.
    public var perThreadKeys: [pthread_key_t] { downstream.perThreadKeys }

    public func record(_ event: CoreEvent) {
        switch event {
        case .line(.submitted): submittedCount.add(1, ordering: .relaxed)
        case .returned, .raised, .line(.cancelled): doneCount.add(1, ordering: .relaxed)
        default: break
        }
        downstream.record(event)
    }

    public func recordSubmitted(future: UInt64, executor: String, label: String?) {
        submittedCount.add(1, ordering: .relaxed)
        downstream.recordSubmitted(future: future, executor: executor, label: label)
    }

    public func recordStarted(future: UInt64, worker: String) {
        downstream.recordStarted(future: future, worker: worker)
    }

    public func recordFinished(future: UInt64, failed: Bool, outcome: any OutcomeSource) {
        doneCount.add(1, ordering: .relaxed)
        downstream.recordFinished(future: future, failed: failed, outcome: outcome)
    }

    public func recordReturnedVoid(future: UInt64) {
        doneCount.add(1, ordering: .relaxed)
        downstream.recordReturnedVoid(future: future)
    }
}
