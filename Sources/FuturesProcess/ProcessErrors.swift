import FuturesCore
import FuturesTrace

/// Python's `BrokenProcessPool`: a worker process died (or its initializer
/// failed), so the pool cannot be used any more. `cause` says how it died.
public struct BrokenProcessPool: BrokenExecutor, Equatable {
    public let message: String
    /// "terminated abruptly with exit code 99", "killed by signal 9 (SIGKILL)", …
    public let cause: String?

    public init(_ message: String, cause: String? = nil) {
        self.message = message
        self.cause = cause
    }

    public var description: String {
        "BrokenProcessPool: \(message)" + (cause.map { " (\($0))" } ?? "")
    }

    static func terminated(cause: String) -> BrokenProcessPool {
        BrokenProcessPool("A process in the process pool was terminated abruptly while the future was running or pending.", cause: cause)
    }

    static func notUsable(cause: String?) -> BrokenProcessPool {
        BrokenProcessPool("A child process terminated abruptly, the process pool is not usable anymore", cause: cause)
    }
}

/// An argument or result that cannot cross to or from a worker process
/// (Python's `PicklingError`). Fails its own future; the pool stays usable.
public struct PicklingError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "PicklingError: \(message)" }
}

/// A task ended its worker process with `exit(code)` (Python's `SystemExit`).
public struct SystemExit: Error, Equatable, CustomStringConvertible {
    public let code: Int32
    public init(code: Int32) { self.code = code }
    public var description: String { "SystemExit: \(code)" }
}

/// An error a task threw in a worker process: its type and message, as the
/// worker described them, and where ("the remote traceback").
public struct RemoteError: Error, Equatable, CustomStringConvertible, TraceTypeNamed {
    public let type: String
    public let message: String
    public let traceback: String

    public init(type: String, message: String, traceback: String) {
        self.type = type
        self.message = message
        self.traceback = traceback
    }

    public var description: String { message }
    public var traceTypeName: String { type }
}
