import Logging

/// The logger CPython calls `concurrent.futures`: failing callbacks and
/// initializers are reported here (and, when traced, as `log` events).
/// Made at each use (only error paths log), so a logging backend installed
/// after the first use is still honoured.
var futuresLogger: Logger { Logger(label: "concurrent.futures") }

extension AnyFuture {
    func invokeCallbacks(_ callbacks: [@Sendable (AnyFuture) throws -> Void]) {
        for callback in callbacks {
            do {
                try callback(self)
            } catch {
                logError("exception calling callback for \(self): \(Self.typeName(of: error)): \(error)")
            }
        }
    }

    func logError(_ message: String) {
        futuresLogger.error("\(message)")
        ThreadContext.current.runtime.record(.log(level: "error", message: message))
    }

    func logCritical(_ message: String) {
        futuresLogger.critical("\(message)")
        ThreadContext.current.runtime.record(.log(level: "critical", message: message))
    }
}
