import CFuturesShim
import FuturesTrace
import FuturesTraceSchema

/// The native `Parker`: a futex word that spins before it sleeps.
///
/// The unsafe part (the word's address, the futex calls) lives in CFuturesShim;
/// this class owns the allocation, so a waker that still holds a reference after
/// its thread has moved on never touches freed memory.
// @unchecked: `raw` is allocated in init, freed in deinit, and only passed to
// fl_parker_* functions, which are safe to call from any thread;
// `releasedBy` is only touched under `releaseLock`.
public final class NativeParker: Parker, @unchecked Sendable {
    private let raw: OpaquePointer
    let owner: String
    private unowned let runtime: NativeRuntime
    private let spinNanoseconds: UInt64
    /// The deadlock this parker's wait was released from, until the wait sees it.
    private let releaseLock = SpinLock()
    private var releasedBy: DeadlockReport?

    init(owner: String, runtime: NativeRuntime) {
        self.raw = fl_parker_create()
        self.owner = owner
        self.runtime = runtime
        self.spinNanoseconds = runtime.spin.clampedNanoseconds
    }

    deinit {
        fl_parker_destroy(raw)
    }

    public func park(until deadline: RuntimeInstant?, reason: WaitReason) -> ParkResult {
        if let watchdog = runtime.watchdog {
            watchdog.waitBegan(self, thread: owner, reason: reason, deadline: deadline, release: self)
            defer { watchdog.waitEnded(self) }
            let result = parkTraced(until: deadline, reason: reason)
            // Woken by the watchdog: the wait was part of a deadlock.
            if let report = releaseLock.withLock({ () -> DeadlockReport? in
                defer { releasedBy = nil }
                return releasedBy
            }) {
                return .deadlocked(report)
            }
            return result
        }
        return parkTraced(until: deadline, reason: reason)
    }

    /// Ends this parker's wait as part of `report`'s deadlock: `park` returns
    /// `.deadlocked(report)`, and the parked call throws `DeadlockError`.
    func release(_ report: DeadlockReport) {
        releaseLock.withLock { releasedBy = report }
        fl_parker_unpark(raw)
    }

    private func parkTraced(until deadline: RuntimeInstant?, reason: WaitReason) -> ParkResult {
        guard let trace = runtime.trace else {
            return fl_parker_park(raw, deadline?.nanoseconds ?? 0, spinNanoseconds) ? .unparked : .timedOut
        }
        trace.record(.waitBegan(thread: owner, reason: reason))
        let woken = fl_parker_park(raw, deadline?.nanoseconds ?? 0, spinNanoseconds)
        trace.record(.waitEnded(thread: owner, reason: reason, timedOut: !woken))
        return woken ? .unparked : .timedOut
    }

    public func unpark() {
        // Told first: a thread that has been woken but has not run yet is not
        // waiting any more (else the watchdog could see it stuck).
        runtime.watchdog?.waitEnded(self)
        fl_parker_unpark(raw)
    }
}
