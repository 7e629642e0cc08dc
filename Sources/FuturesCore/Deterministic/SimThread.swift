import FuturesTraceSchema
/// One thread of a deterministic run, as the scheduler sees it: a fiber of the
/// run's host OS thread that runs only while it holds the baton.
///
/// Every `var` is read and written under the scheduler's lock.
final class SimThread: @unchecked Sendable {
    /// What the thread is doing, as far as scheduling goes.
    enum State: Equatable {
        /// May run (or runs: the scheduler's `current`).
        case runnable
        /// Parked until unparked, or until `deadline` (virtual ns).
        case blocked(WaitReason, deadline: UInt64?)
        /// Asleep until `until`.
        case sleeping(until: UInt64)
        /// Occupies a simulated core until `until`.
        case busy(until: UInt64)
        /// Waits for a free simulated core, then stays busy for `duration`.
        case waitingForCore(duration: UInt64)
        /// Its body returned.
        case finished
    }

    let id: Int
    let name: String
    var state: State = .runnable {
        didSet { deadline = state.deadline ?? .max }
    }
    /// The parker token (`unpark` before `park`).
    var token = false
    /// How the last `park` ended, set by whoever made the thread runnable.
    var wake: ParkResult = .unparked
    /// PCT's priority: higher runs first.
    var priority: UInt64 = 0
    /// Its stack of execution; nil once the thread has ended and been reaped.
    var fiber: Fiber?

    init(id: Int, name: String) {
        self.id = id
        self.name = name
    }

    /// Blocked in a wait that a deadlock report should name (not an idle worker).
    var isBlockedOnSomething: Bool {
        if case .blocked(let reason, deadline: nil) = state, !reason.isIdleWork { return true }
        return false
    }

    /// The virtual time at which the thread wakes up by itself (`.max`:
    /// never), kept with `state`: the scheduler reads it for every thread
    /// each time nothing can run.
    private(set) var deadline = UInt64.max
}

extension SimThread.State {
    /// The virtual time at which a thread in this state wakes up by itself, if any.
    var deadline: UInt64? {
        switch self {
        case .blocked(_, let deadline): deadline
        case .sleeping(let until), .busy(let until): until
        case .runnable, .waitingForCore, .finished: nil
        }
    }
}
