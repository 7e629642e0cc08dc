@testable import FuturesCore
import Testing

/// An error like Python's `OSError()`, the one CPython's tests store.
struct OSError: Error, Equatable {}

/// An error type whose value is "empty": still an error (item C16).
struct FalsyError: Error, Equatable, CustomStringConvertible {
    var description: String { "" }
}

/// An error whose description no other test's can share, to find its own
/// line among captured logs (futures' addresses are reused across tests).
struct UniqueError: Error, CustomStringConvertible {
    private static let counter = Counter(startingAt: 1)
    let description = "UniqueError-\(UniqueError.counter.next())"
}

/// Futures in every state, as CPython's tests make them.
enum Ready {
    static func pending() -> Future<Int> { Future<Int>() }

    static func running() -> Future<Int> {
        let future = Future<Int>()
        precondition(try! future.setRunningOrNotifyCancel())
        return future
    }

    static func cancelled() -> Future<Int> {
        let future = Future<Int>()
        precondition(future.cancel())
        return future
    }

    static func cancelledAndNotified() -> Future<Int> {
        let future = cancelled()
        precondition(try! future.setRunningOrNotifyCancel() == false)
        return future
    }

    static func exception() -> Future<Int> {
        let future = Future<Int>()
        try! future.setException(OSError())
        return future
    }

    static func successful(_ value: Int = 42) -> Future<Int> {
        let future = Future<Int>()
        try! future.setResult(value)
        return future
    }

    /// One of each, named.
    static func all() -> [(String, Future<Int>)] {
        [("PENDING", pending()), ("RUNNING", running()), ("CANCELLED", cancelled()),
         ("CANCELLED_AND_NOTIFIED", cancelledAndNotified()), ("EXCEPTION", exception()),
         ("SUCCESSFUL", successful())]
    }
}

/// Runs `body` on a new thread of the calling thread's runtime after `delay`.
@discardableResult
func after(_ delay: Duration, _ body: @escaping @Sendable () throws -> Void) -> any RuntimeThread {
    let runtime = currentRuntime
    return try! runtime.startThread(named: "helper") {
        runtime.sleep(for: delay)
        try? body()
    }
}

/// Seconds on the calling thread's runtime clock since `start`.
func elapsed(since start: RuntimeInstant) -> Double {
    start.duration(until: currentRuntime.now()).seconds
}

/// A thread-safe list for recording what tasks did.
// @unchecked: `items` is only touched under `lock`.
final class Log<Element: Sendable>: @unchecked Sendable {
    private let lock = SpinLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
    var count: Int { lock.withLock { items.count } }
}
