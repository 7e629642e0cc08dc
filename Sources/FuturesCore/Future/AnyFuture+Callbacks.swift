import Foundation
import FuturesTrace
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
                let failure = "\(Self.typeName(of: error)): \(error)"
                log(.error,
                    "exception calling callback for \(self): \(failure)",
                    traced: "exception calling callback for \(traceName): \(failure)")
            }
        }
    }

    func logCritical(_ message: String) {
        log(.critical, message, traced: message.replacingOccurrences(of: addressString, with: "#\(id)"))
    }

    /// Logs `message` (CPython's words, with the future's address) and records
    /// `traced` in the trace: the same words with the future's trace id in
    /// place of its address, so a deterministic run's trace stays byte-identical.
    private func log(_ level: Logger.Level, _ message: String, traced: String) {
        futuresLogger.log(level: level, "\(message)")
        ThreadContext.current.runtime.record(.log(level: level.rawValue, message: traced))
    }

    /// `<Future #3 state=finished returned Int>`: the repr with the trace id.
    var traceName: String {
        description.replacingOccurrences(of: "at \(addressString)", with: "#\(id)")
    }
}
