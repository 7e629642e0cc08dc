/// The five states of a CPython future.
///
/// `cancelled` is set by the user's `cancel()`; `cancelledAndNotified` by the
/// executor when a worker reaches the cancelled item. `wait` and `asCompleted`
/// count a future as done only in `finished` or `cancelledAndNotified`;
/// `result()` and `isDone` count both cancelled states.
public enum FutureState: UInt8, Sendable, CustomStringConvertible {
    case pending
    case running
    case cancelled
    case cancelledAndNotified
    case finished

    /// Python's constant name: "PENDING", "CANCELLED_AND_NOTIFIED", …
    public var pythonName: String {
        switch self {
        case .pending: "PENDING"
        case .running: "RUNNING"
        case .cancelled: "CANCELLED"
        case .cancelledAndNotified: "CANCELLED_AND_NOTIFIED"
        case .finished: "FINISHED"
        }
    }

    /// The word a repr shows: both cancelled states read "cancelled".
    public var description: String {
        switch self {
        case .pending: "pending"
        case .running: "running"
        case .cancelled, .cancelledAndNotified: "cancelled"
        case .finished: "finished"
        }
    }

    /// Finished or cancelled: `result()` returns or throws at once.
    @inlinable
    public var isResolved: Bool {
        self == .finished || self == .cancelled || self == .cancelledAndNotified
    }

    /// Done as `wait` and `asCompleted` see it (a plain `cancelled` is not).
    @inlinable
    public var isSettled: Bool {
        self == .finished || self == .cancelledAndNotified
    }
}
