/// When `wait(_:timeout:returnWhen:)` returns (CPython's `FIRST_COMPLETED`,
/// `FIRST_EXCEPTION`, `ALL_COMPLETED`).
///
/// A string-backed struct rather than an enum because the condition often comes
/// from outside (a scenario file), and CPython checks it at the call: an unknown
/// one is a `ValueError("Invalid return condition: …")` unless every future was
/// already done.
public struct ReturnWhen: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let firstCompleted = ReturnWhen(rawValue: "FIRST_COMPLETED")
    public static let firstException = ReturnWhen(rawValue: "FIRST_EXCEPTION")
    public static let allCompleted = ReturnWhen(rawValue: "ALL_COMPLETED")

    public static let allCases: [ReturnWhen] = [.firstCompleted, .firstException, .allCompleted]

    public var description: String { rawValue }
}

/// What `wait` returns: the futures done and those not done (duplicates dropped).
public struct DoneAndNotDone<F: AnyFuture>: Sendable {
    public var done: Set<F>
    public var notDone: Set<F>
}

/// Waits for the futures (any mix of executors and value types) until the
/// `returnWhen` condition holds or `timeout` passes. A timeout never throws: it
/// returns the split as it stands. Only an invalid `returnWhen` throws.
///
/// "Done" here means finished or cancelled-and-notified: a future cancelled by
/// the user counts once its executor has seen the cancellation.
public func wait<F: AnyFuture>(
    _ futures: some Sequence<F>,
    timeout: Duration? = nil,
    returnWhen: ReturnWhen = .allCompleted
) throws -> DoneAndNotDone<F> {
    let unique = uniqued(futures)
    var done = Set<F>()
    var anyFailed = false
    for future in unique {
        let snapshot = future.settledSnapshot()
        if snapshot.settled {
            done.insert(future)
            anyFailed = anyFailed || snapshot.failed
        }
    }
    func split() -> DoneAndNotDone<F> {
        DoneAndNotDone(done: done, notDone: Set(unique.lazy.filter { !done.contains($0) }))
    }
    if returnWhen == .firstCompleted && !done.isEmpty { return split() }
    if returnWhen == .firstException && anyFailed { return split() }
    if done.count == unique.count { return split() }

    let mode: MultiWaiter.Mode
    switch returnWhen {
    case .firstCompleted: mode = .firstCompleted
    case .firstException: mode = .allCompleted(stopOnException: true)
    case .allCompleted: mode = .allCompleted(stopOnException: false)
    default: throw ValueError("Invalid return condition: '\(returnWhen.rawValue)'")
    }

    let context = ThreadContext.current
    let pending = unique.filter { !done.contains($0) }
    let waiter = MultiWaiter(mode: mode, pendingCalls: pending.count, parker: context.parker)
    var installed: [F] = []
    installed.reserveCapacity(pending.count)
    for future in pending {
        let seen = future.install(waiter)
        if seen.settled {
            // Settled between the first look and now: count it as told.
            waiter.futureDidSettle(future, failed: seen.failed, cancelled: seen.cancelled)
        } else {
            installed.append(future)
        }
    }
    let reason = WaitReason.futures(ids: pending.map(\.id), call: "wait(\(returnWhen.rawValue))")
    _ = waiter.waitForEvent(until: context.runtime.deadline(after: timeout), reason: reason)
    for future in installed { future.uninstall(waiter) }
    for future in waiter.takeFinished() {
        done.insert(unsafeDowncast(future, to: F.self))
    }
    return split()
}

/// The futures in first-seen order, each once.
func uniqued<F: AnyFuture>(_ futures: some Sequence<F>) -> [F] {
    var seen = Set<ObjectIdentifier>()
    return futures.filter { seen.insert(ObjectIdentifier($0)).inserted }
}
