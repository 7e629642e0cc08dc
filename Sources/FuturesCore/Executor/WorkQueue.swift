import DequeModule
import Synchronization

/// The FIFO queue of a thread pool, split so that submitters and workers rarely
/// meet on one lock.
///
/// Submitters append to `inbox` under the pool's mutex (which they hold anyway
/// for the shutdown check and the worker accounting). Workers pop from `outbox`
/// under `takeLock`; when it is empty, one of them swaps the whole inbox in. So
/// a submitter contends with workers once per batch, not once per item, and
/// order is kept: everything in the outbox was submitted before everything in
/// the inbox.
///
/// Rejected: one Mutex-guarded deque (submit+wait ran at 2.3–3.0 M/s on two
/// cores, a fifth of the submitter's time waiting for the lock); a lock-free
/// intrusive queue (the same gain here, far more unsafe code).
///
/// A class, not a struct: the two halves are touched concurrently under
/// different locks, and a struct's mutating methods would be overlapping
/// accesses to the one property that holds it (TSan reports that, rightly).
// @unchecked: `inbox` and `appended` are only written under the pool's
// mutex, `outbox` and `taken` under `takeLock` (see each method's
// contract); the two counters are atomic so others may read them.
final class WorkQueue: @unchecked Sendable {
    /// Guarded by the pool's mutex.
    private var inbox = Deque<AnyFuture>()
    /// Guarded by `takeLock`.
    private var outbox = Deque<AnyFuture>()
    let takeLock = OSMutex()
    /// Items ever appended (one writer at a time: the pool's mutex holder) and
    /// ever taken (the `takeLock` holder). Single writers need no atomic
    /// read-modify-write, and submitters and workers never write one line.
    private let appended = Atomic<Int>(0)
    private let taken = Atomic<Int>(0)

    /// Items in both halves: exact under both locks, a hint without them, never
    /// below the truth for a reader holding the pool's mutex.
    var count: Int {
        // `taken` first: read the other way round, a take between the two
        // loads could make the count look larger than it is, never smaller.
        let taken = taken.load(ordering: .acquiring)
        return appended.load(ordering: .acquiring) - taken
    }

    /// Appends `item`. Caller holds the pool's mutex.
    func append(_ item: AnyFuture) {
        inbox.append(item)
        appended.store(appended.load(ordering: .relaxed) + 1, ordering: .releasing)
    }

    /// Pops the oldest item. Caller holds `takeLock`; `withPoolMutex` runs a
    /// closure under the pool's mutex (for the swap). `beforeCount` runs before
    /// the count drops, so the pool can count a worker busy first.
    func popFirst(withPoolMutex: (() -> Void) -> Void, beforeCount: () -> Void) -> AnyFuture? {
        if outbox.isEmpty {
            withPoolMutex { swap(&inbox, &outbox) }
        }
        guard let item = outbox.popFirst() else { return nil }
        beforeCount()
        taken.store(taken.load(ordering: .relaxed) + 1, ordering: .releasing)
        return item
    }

    /// Removes and returns everything, oldest first. Caller holds `takeLock`
    /// and then the pool's mutex.
    func drainAll() -> [AnyFuture] {
        var all: [AnyFuture] = []
        // Empty halves are skipped: copying an empty Deque writes the shared
        // empty-array singleton, which TSan reports between unrelated pools.
        if !outbox.isEmpty { all.append(contentsOf: outbox) }
        if !inbox.isEmpty { all.append(contentsOf: inbox) }
        taken.store(taken.load(ordering: .relaxed) + all.count, ordering: .releasing)
        outbox.removeAll()
        inbox.removeAll()
        return all
    }
}
