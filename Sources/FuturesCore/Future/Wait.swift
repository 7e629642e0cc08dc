import FuturesTraceSchema
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

/// What `wait` returns: the futures done and those not done, each once.
///
/// Python returns two sets; these are arrays in the order the futures were
/// given (first occurrence), so reports and deterministic runs print them the
/// same way every time. `doneSet` / `notDoneSet` give sets where needed.
public struct DoneAndNotDone<F: AnyFuture>: Sendable {
    public var done: [F]
    public var notDone: [F]

    public var doneSet: Set<F> { Set(done) }
    public var notDoneSet: Set<F> { Set(notDone) }
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
    // Taken once (free for an Array): the input may be a one-pass sequence,
    // and the rebuild after waiting walks it again.
    let futures = Array(futures)
    // One pass: drop duplicates and sort into done / not done, in input order.
    var split = DoneAndNotDone<F>(done: [], notDone: [])
    var anyFailed = false
    let count = futures.count
    split.done.reserveCapacity(count)
    var seen = IdentitySet(capacity: count)
    for future in futures where seen.insert(future) {
        let snapshot = future.settledSnapshot()
        if snapshot.settled {
            split.done.append(future)
            anyFailed = anyFailed || snapshot.failed
        } else {
            split.notDone.append(future)
        }
    }
    if split.notDone.isEmpty { return split }
    if returnWhen == .firstCompleted && !split.done.isEmpty { return split }
    if returnWhen == .firstException && anyFailed { return split }

    let mode: MultiWaiter.Mode
    switch returnWhen {
    case .firstCompleted: mode = .firstCompleted
    case .firstException: mode = .allCompleted(stopOnException: true)
    case .allCompleted: mode = .allCompleted(stopOnException: false)
    default: throw ValueError("Invalid return condition: '\(returnWhen.rawValue)'")
    }

    let context = ThreadContext.current
    let pending = split.notDone
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
    let waited = Result { try waiter.waitForEvent(until: context.runtime.deadline(after: timeout), reason: reason) }
    // Remove the waiter before reading what it collected (as CPython does), so a
    // future that settles in between is counted done.
    for future in installed { future.uninstall(waiter) }
    _ = try waited.get()
    let settled = waiter.takeFinished()
    if settled.isEmpty { return split }
    // Rebuild both lists in input order (first occurrence).
    var nowDone = IdentitySet(capacity: split.done.count + settled.count)
    for future in split.done { _ = nowDone.insert(future) }
    for future in settled { _ = nowDone.insert(future) }
    var again = IdentitySet(capacity: count)
    var result = DoneAndNotDone<F>(done: [], notDone: [])
    for future in futures where again.insert(future) {
        if nowDone.contains(future) { result.done.append(future) } else { result.notDone.append(future) }
    }
    return result
}

/// The futures in first-seen order, each once.
func uniqued<F: AnyFuture>(_ futures: some Sequence<F>) -> [F] {
    let all = Array(futures)
    var seen = IdentitySet(capacity: all.count)
    var unique: [F] = []
    unique.reserveCapacity(all.count)
    for future in all where seen.insert(future) {
        unique.append(future)
    }
    return unique
}
