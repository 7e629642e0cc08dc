import FuturesTraceSchema
import FuturesTrace
/// Follows the core's events to know, at any moment, which future runs on which
/// worker and which waits in which pool's queue, and turns a set of blocked
/// threads into a `DeadlockReport` with the cycle of the wait-for graph.
///
/// It is the runtime's trace sink and forwards every event to the user's sink,
/// so a deterministic run always numbers its futures (the graph needs the ids).
final class WaitGraph: TraceSink, @unchecked Sendable {
    // @unchecked: every `var` is read and written under `lock`; `downstream`
    // is immutable.
    private let lock = SpinLock()
    private let downstream: (any TraceSink)?
    /// Futures started and not yet settled: the worker running each.
    private var runningOn: [UInt64: String] = [:]
    /// Futures submitted and not yet started: the executor queueing each.
    private var queuedIn: [UInt64: String] = [:]
    /// Labels of live futures (dropped when they settle: only live futures
    /// appear in a report).
    private var labels: [UInt64: String] = [:]
    /// Live workers of each executor, in start order.
    private var workersOf: [String: [String]] = [:]

    init(downstream: (any TraceSink)?) {
        self.downstream = downstream
    }

    // The fast paths keep the graph and pass the call on unchanged.

    func recordSubmitted(future: UInt64, executor: String, label: String?) {
        lock.withLock { submittedLocked(future, executor: executor, label: label) }
        downstream?.recordSubmitted(future: future, executor: executor, label: label)
    }

    func recordStarted(future: UInt64, worker: String) {
        lock.withLock { startedLocked(future, worker: worker) }
        downstream?.recordStarted(future: future, worker: worker)
    }

    func recordReturnedVoid(future: UInt64) {
        lock.withLock { settledLocked(future) }
        downstream?.recordReturnedVoid(future: future)
    }

    func recordFinished(future: UInt64, failed: Bool, outcome: any OutcomeSource) {
        lock.withLock { settledLocked(future) }
        downstream?.recordFinished(future: future, failed: failed, outcome: outcome)
    }

    var keepsEveryEvent: Bool { downstream != nil }

    func record(_ event: CoreEvent) {
        // Only the lifecycle of futures and workers is kept; every other
        // event (a lock taken, a wait) passes through without the lock.
        switch event {
        case .line(.submitted(let future, let executor, let label)):
            lock.withLock { submittedLocked(future, executor: executor, label: label) }
        case .line(.started(let future, let worker)):
            lock.withLock { startedLocked(future, worker: worker) }
        case .returned(let future, _), .raised(let future, _), .line(.cancelNotified(let future)):
            lock.withLock { settledLocked(future) }
        case .line(.workerStarted(let worker, let executor)):
            lock.withLock { workersOf[executor, default: []].append(worker) }
        case .line(.workerExited(let worker, let executor)):
            lock.withLock { workersOf[executor]?.removeAll { $0 == worker } }
        default:
            break
        }
        downstream?.record(event)
    }

    private func submittedLocked(_ future: UInt64, executor: String, label: String?) {
        queuedIn[future] = executor
        if let label { labels[future] = label }
    }

    private func startedLocked(_ future: UInt64, worker: String) {
        queuedIn[future] = nil
        runningOn[future] = worker
    }

    private func settledLocked(_ future: UInt64) {
        queuedIn[future] = nil
        runningOn[future] = nil
        labels[future] = nil
    }

    // MARK: - Reports

    /// One edge set: who `reason` waits on, in words, and whether an edge goes
    /// through a queued future (starvation).
    private struct Wait {
        var words: String
        var targets: [String]
        var throughQueue: Bool
    }

    func report(stuck: [(name: String, reason: WaitReason)], time: UInt64) -> DeadlockReport {
        lock.withLock {
            let busyWorkers = Set(runningOn.values)
            var waits: [Wait] = []
            for (_, reason) in stuck {
                waits.append(wait(for: reason, busyWorkers: busyWorkers))
            }
            let blocked = zip(stuck, waits).map { thread, wait in
                DeadlockReport.BlockedThread(name: thread.name, reason: thread.reason, waitsFor: wait.words, waitsOn: wait.targets)
            }
            let (cycle, starving) = findCycle(blocked: blocked, waits: waits)
            let kind: DeadlockReport.Kind = cycle.isEmpty ? .stuck : (starving ? .poolStarvation : .cycle)
            return DeadlockReport(time: Double(time) / 1e9, kind: kind, blocked: blocked, cycle: cycle)
        }
    }

    private func wait(for reason: WaitReason, busyWorkers: Set<String>) -> Wait {
        switch reason {
        case .future(let id):
            return wait(forFuture: id, busyWorkers: busyWorkers)
        case .futures(let ids, let call):
            let parts = ids.map { wait(forFuture: $0, busyWorkers: busyWorkers) }
            return Wait(
                words: "\(call): " + parts.map(\.words).joined(separator: "; "),
                targets: uniqueInOrder(parts.flatMap(\.targets)),
                throughQueue: parts.contains { $0.throughQueue })
        case .thread(let name):
            return Wait(words: "thread \(name) to end", targets: [name], throughQueue: false)
        case .gil(_, let holder), .lock(_, let holder):
            return Wait(words: reason.description, targets: [holder], throughQueue: false)
        case .primitive:
            return Wait(words: reason.description, targets: [], throughQueue: false)
        case .work, .sleep, .io, .other:
            return Wait(words: reason.description, targets: [], throughQueue: false)
        }
    }

    private func wait(forFuture id: UInt64, busyWorkers: Set<String>) -> Wait {
        let name = labels[id].map { "future \(id) (\($0))" } ?? "future \(id)"
        if let worker = runningOn[id] {
            return Wait(words: "\(name), running on \(worker)", targets: [worker], throughQueue: false)
        }
        if let executor = queuedIn[id] {
            let busy = (workersOf[executor] ?? []).filter(busyWorkers.contains)
            let who = busy.isEmpty ? "no worker" : busy.joined(separator: ", ")
            return Wait(
                words: "\(name), queued in \(executor) behind its busy workers (\(who))",
                targets: busy, throughQueue: true)
        }
        return Wait(words: "\(name), which no executor will run", targets: [], throughQueue: false)
    }

    /// The first cycle among the blocked threads (depth-first, in the order
    /// the threads are listed), as names with the first repeated at the end;
    /// and whether one of its edges goes through a queued future.
    private func findCycle(blocked: [DeadlockReport.BlockedThread], waits: [Wait]) -> ([String], Bool) {
        var index: [String: Int] = [:]
        for (position, thread) in blocked.enumerated() { index[thread.name] = position }
        var state = [Int](repeating: 0, count: blocked.count)  // 0 new, 1 on path, 2 done
        var path: [Int] = []

        func visit(_ node: Int) -> [Int]? {
            state[node] = 1
            path.append(node)
            for target in blocked[node].waitsOn {
                guard let next = index[target] else { continue }
                if state[next] == 1, let start = path.firstIndex(of: next) {
                    return Array(path[start...]) + [next]
                }
                if state[next] == 0, let cycle = visit(next) { return cycle }
            }
            path.removeLast()
            state[node] = 2
            return nil
        }

        for node in blocked.indices where state[node] == 0 {
            if let cycle = visit(node) {
                let starving = cycle.dropLast().contains { waits[$0].throughQueue }
                return (cycle.map { blocked[$0].name }, starving)
            }
        }
        return ([], false)
    }
}

private func uniqueInOrder(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
}

extension WaitReason {
    /// An idle worker waiting for work: not part of a deadlock, and what a
    /// finished program's leftover workers do.
    var isIdleWork: Bool {
        if case .work = self { return true }
        return false
    }
}
