import FuturesScenario

/// The steps each thread of a run is in, innermost last: what the manual
/// scheduler shows beside a runnable thread ("with (line 18)").
public final class StepTracker: @unchecked Sendable {
    // @unchecked: `stacks` is only touched under `lock`.
    private let lock = Locked<[String: [Step]]>([:])

    public init() {}

    func enter(_ step: Step, thread: String) {
        lock.write { $0[thread, default: []].append(step) }
    }

    func leave(thread: String) {
        lock.write { _ = $0[thread]?.popLast() }
    }

    /// The innermost step `thread` is in, if it is running one.
    public func current(of thread: String) -> Step? {
        lock.read { $0[thread]?.last }
    }

    /// What `thread` is doing, in words: `in sched_yield (line 31)`, or
    /// what a thread in no step is about to do.
    public func describe(_ thread: String) -> String {
        guard let step = current(of: thread) else { return "about to start (or to take a task)" }
        return "in \(step.operation.key) (line \(step.location.line))"
    }
}
