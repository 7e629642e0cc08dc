import Foundation

/// A spinner with the elapsed seconds on stderr, for native runs that take
/// longer than a second (as the seed uses tqdm); erased when the run ends.
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

    func start() {
        guard enabled else { return }
        lock.withLock { running = true }
        let started = Date()
        let thread = Thread { [self] in
            let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
            var frame = 0
            while lock.withLock({ running }) {
                Thread.sleep(forTimeInterval: 0.1)
                let elapsed = Date().timeIntervalSince(started)
                guard elapsed >= 1 else { continue }
                lock.withLock {
                    guard running else { return }
                    writeStandardError("\r\(frames[frame % frames.count]) running… \(String(format: "%.1f", elapsed)) s")
                    drew = true
                }
                frame += 1
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
}
