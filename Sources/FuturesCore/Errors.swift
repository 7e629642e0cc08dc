import FuturesTraceSchema
/// The errors of `concurrent.futures`, as Swift types.
///
/// Python's hierarchy maps to Swift like this: `BrokenExecutor` (a
/// `RuntimeError` subclass in Python) is a protocol that `BrokenThreadPool` (and,
/// later, `BrokenProcessPool`) conform to, so `catch let error as any
/// BrokenExecutor` catches both. Python's builtin `RuntimeError`, `ValueError` and
/// `TimeoutError` become structs with the same messages.

/// `result()` or `exception()` on a cancelled future.
public struct CancelledError: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "CancelledError" }
}

/// A timed operation ran out of time. The message says what was unfinished
/// where Python's does ("2 (of 4) futures unfinished").
public struct TimeoutError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String = "") { self.message = message }
    public var description: String { message.isEmpty ? "TimeoutError" : "TimeoutError: \(message)" }
}

/// Completing a future that is already finished or cancelled:
/// "FINISHED: <Future at 0x… state=finished returned Int>".
public struct InvalidStateError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "InvalidStateError: \(message)" }
}

/// Python's `RuntimeError`: the executor refuses the call.
public struct RuntimeError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "RuntimeError: \(message)" }

    /// `submit` after `shutdown`.
    public static let cannotScheduleAfterShutdown = RuntimeError("cannot schedule new futures after shutdown")
}

/// Python's `ValueError`: an argument out of range.
public struct ValueError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "ValueError: \(message)" }
}

/// An executor that can no longer run work (Python's `BrokenExecutor`).
public protocol BrokenExecutor: Error, CustomStringConvertible {
    var message: String { get }
}

/// A thread pool whose initializer failed.
public struct BrokenThreadPool: BrokenExecutor, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "BrokenThreadPool: \(message)" }

    public static let initializerFailed = BrokenThreadPool(
        "A thread initializer failed, the thread pool is not usable anymore")
}

/// A blocked call released because its thread was part of a deadlock. The
/// call (`result()`, `wait`, `asCompleted`, …) throws it so the program can end
/// cleanly instead of hanging.
public struct DeadlockError: Error, Equatable, CustomStringConvertible {
    public let report: DeadlockReport

    public init(report: DeadlockReport) {
        self.report = report
    }

    public var description: String { report.summary }
}
