import Foundation

/// A progress bar on stderr — futures done of those submitted, and the
/// elapsed seconds — for native runs that take longer than a second (the seed
/// uses tqdm); erased when the run ends.
final class Progress: @unchecked Sendable {
    // @unchecked: `running` is guarded by `lock`.
    private let enabled: Bool
    private let lock = NSLock()
    private var running = false
    private var drew = false
    private var thread: Thread?

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func start(_ counts: @escaping @Sendable () -> (done: Int, submitted: Int)) {
        guard enabled else { return }
        lock.withLock { running = true }
        let started = Date()
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                Thread.sleep(forTimeInterval: 0.1)
                let elapsed = Date().timeIntervalSince(started)
                guard elapsed >= 1 else { continue }
                lock.withLock {
                    guard running else { return }
                    writeStandardError("\r" + Self.bar(counts(), elapsed: elapsed))
                    drew = true
                }
            }
        }
        self.thread = thread
        thread.start()
    }

    func stop() {
        guard enabled else { return }
        lock.withLock {
            running = false
            if drew { writeStandardError("\r\u{1B}[K") }
        }
    }

    /// `[██████░░░░░░░░]  6/20 futures done  3.2 s`
    static func bar(_ counts: (done: Int, submitted: Int), elapsed: Double) -> String {
        gauge(counts.done, of: counts.submitted)
            + (counts.submitted == 0 ? "no futures submitted yet  " : "\(counts.done)/\(counts.submitted) futures done  ")
            + String(format: "%.1f s", elapsed) + "\u{1B}[K"
    }

    /// `[██████░░░░░░░░] `: `done` of `total` in 24 cells.
    static func gauge(_ done: Int, of total: Int) -> String {
        let width = 24
        let filled = total == 0 ? 0 : min(width, done * width / total)
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "] "
    }
}
