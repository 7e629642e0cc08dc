import Logging

/// Captures what the core logs (the `concurrent.futures` logger), so tests can
/// assert that a failing callback or initializer was reported.
enum LogCapture {
    /// `Log` (a SpinLock) rather than `Mutex`: TSan misreports `Mutex` statics.
    private static let lines = Log<String>()

    /// Installs the capturing handler once per process.
    private static let installed: Void = {
        LoggingSystem.bootstrap { label in CapturingHandler(label: label) }
    }()

    static func start() {
        _ = installed
    }

    /// Captured lines that contain `text`.
    static func lines(containing text: String) -> [String] {
        lines.all.filter { $0.contains(text) }
    }

    /// Lines that report a failing callback of `future` that threw an error
    /// described as `error` (make it unique per test: addresses are reused).
    static func callbackFailures(of future: AnyObject & CustomStringConvertible, error: String) -> [String] {
        lines(containing: "exception calling callback for \(future.description)").filter { $0.contains(error) }
    }

    fileprivate static func append(_ line: String) {
        lines.append(line)
    }

    private struct CapturingHandler: LogHandler {
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            LogCapture.append("\(label) \(event.level): \(event.message)")
        }
    }
}
