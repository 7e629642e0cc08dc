import Logging

/// The logger CPython calls `concurrent.futures`: failing callbacks and
/// initializers are reported here (and, when traced, as `log` events).
let futuresLogger = Logger(label: "concurrent.futures")

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
