import CFuturesShim
import FuturesTrace
import FuturesTraceSchema

/// The native runtime's deadlock watchdog: when every thread of the runtime
/// that is not an idle worker has sat in an untimed wait for longer than
/// `threshold`, it builds the same report as the deterministic runtime (from
/// the same wait-for graph), records a `deadlock` event, releases every one
/// of those waits that is a park (the parked call throws `DeadlockError`, as
/// in the deterministic runtime, so the program goes on and no thread is
/// left blocked) and calls `onDeadlock`. A wait in a real `poll(2)`
/// (`blocking`) cannot be released; it stays.
///
/// Each episode is reported once: a new report needs some wait to change.
final class Watchdog: @unchecked Sendable {
    // @unchecked: every `var` is read and written under `lock`; the `let`s are
    // immutable or thread-safe.
    private struct Entry {
        /// The parker to release with a report: the waiting thread's, when
        /// it is parked on it (nil for a wait in a real `poll(2)`).
        let release: NativeParker?
        let name: String
        let order: UInt64
        let reason: WaitReason
        let deadline: UInt64?
        let since: UInt64
    }

    let threshold: UInt64
    private let graph: WaitGraph
    private let onDeadlock: @Sendable (DeadlockReport) -> Void
    private let origin = fl_monotonic_ns()
    private let lock = SpinLock()
    private var waits: [ObjectIdentifier: Entry] = [:]
    private var liveThreads = 0
    private var waitOrder: UInt64 = 0
    private var lastReported: [String: UInt64]?
    /// Threads no deadlock is about (daemon threads abandoned at the end of
    /// main, left blocked as Python leaves them): their waits count as idle.
    private var excluded: Set<String> = []

    func exclude(_ threads: [String]) {
        lock.withLock { excluded.formUnion(threads) }
    }

    init(threshold: Duration, graph: WaitGraph, onDeadlock: @escaping @Sendable (DeadlockReport) -> Void) {
        self.threshold = max(1_000_000, threshold.clampedNanoseconds)
        self.graph = graph
        self.onDeadlock = onDeadlock
    }

    // MARK: - Fed by the runtime

    func threadStarted() {
        lock.withLock { liveThreads += 1 }
    }

    func threadEnded() {
        lock.withLock { liveThreads -= 1 }
    }

    /// Threads started and not yet ended.
    var threadsAlive: Int { lock.withLock { liveThreads } }

    func waitBegan(_ parker: AnyObject, thread: String, reason: WaitReason, deadline: RuntimeInstant?, release: NativeParker? = nil) {
        let now = fl_monotonic_ns()
        lock.withLock {
            waitOrder += 1
            waits[ObjectIdentifier(parker)] = Entry(
                release: release, name: thread, order: waitOrder, reason: reason, deadline: deadline?.nanoseconds, since: now)
        }
    }

    /// The wait of `parker` ended, or it was unparked (and so will end).
    func waitEnded(_ parker: AnyObject) {
        lock.withLock { _ = waits.removeValue(forKey: ObjectIdentifier(parker)) }
    }

    // MARK: - Watching

    /// Starts the watching thread; it ends when the watchdog is released.
    func start() {
        let period = Duration.nanoseconds(Int64(threshold / 4))
        _ = try? NativeRuntime.shared.startThread(named: "futureslab-watchdog") { [weak self] in
            while let watchdog = self {
                watchdog.check()
                NativeRuntime.shared.sleep(for: period)
            }
        }
    }

    /// Reports if every participating thread has waited, untimed, past the threshold.
    func check() {
        let now = fl_monotonic_ns()
        let stuck: [Entry]? = lock.withLock {
            let working = waits.values.filter { !$0.reason.isIdleWork && !excluded.contains($0.name) }
            let idle = waits.count - working.count
            let participating = liveThreads - idle
            guard participating > 0, working.count >= participating,
                  working.allSatisfy({ $0.deadline == nil && now &- $0.since >= threshold }) else {
                lastReported = nil
                return nil
            }
            let signature = Dictionary(working.map { ($0.name, $0.since) }, uniquingKeysWith: { first, _ in first })
            guard signature != lastReported else { return nil }
            lastReported = signature
            return working.sorted { $0.order < $1.order }
        }
        guard let stuck else { return }
        let report = graph.report(stuck: stuck.map { ($0.name, $0.reason) }, time: now &- origin)
        graph.record(.deadlock(report))
        for entry in stuck { entry.release?.release(report) }
        onDeadlock(report)
    }
}
