/// What a runtime found when no thread could make progress: every blocked
/// thread, what it waits for, and the cycle in the wait-for graph.
///
/// Edges of the graph: a thread waiting on a future waits on the worker running
/// it; a thread waiting on a future still queued waits on its pool's busy
/// workers (pool starvation); a thread joining another waits on it.
public struct DeadlockReport: Sendable, Equatable, CustomStringConvertible {
    /// One blocked thread and its wait.
    public struct BlockedThread: Sendable, Equatable {
        public var name: String
        public var reason: WaitReason
        /// In words: "future 2 (running on pool_1)", "future 3 (queued in pool; its workers are busy)".
        public var waitsFor: String
        /// The threads this one waits on (its edges in the wait-for graph).
        public var waitsOn: [String]

        public init(name: String, reason: WaitReason, waitsFor: String, waitsOn: [String]) {
            self.name = name
            self.reason = reason
            self.waitsFor = waitsFor
            self.waitsOn = waitsOn
        }
    }

    /// How the threads are stuck.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Threads wait on each other in a cycle.
        case cycle
        /// A cycle that passes through a queued future: every worker that could
        /// run it is busy waiting (pool starvation).
        case poolStarvation = "pool starvation"
        /// Threads wait on things no thread will ever do (no cycle).
        case stuck
    }

    /// When it was found, in seconds on the runtime's clock since the run began.
    public var time: Double
    public var kind: Kind
    public var blocked: [BlockedThread]
    /// Thread names around the cycle, the first repeated at the end; empty for `.stuck`.
    public var cycle: [String]

    public init(time: Double, kind: Kind, blocked: [BlockedThread], cycle: [String]) {
        self.time = time
        self.kind = kind
        self.blocked = blocked
        self.cycle = cycle
    }

    /// One line: "deadlock (cycle): pool_0 → pool_1 → pool_0".
    public var summary: String {
        let path = cycle.isEmpty ? blocked.map(\.name).joined(separator: ", ") : cycle.joined(separator: " → ")
        return "deadlock (\(kind.rawValue)): \(path)"
    }

    public var description: String {
        var lines = ["DEADLOCK at t=\(formatSeconds(time)) — \(kind.rawValue)"]
        for thread in blocked {
            lines.append("  \(thread.name) waits for \(thread.waitsFor)")
        }
        if !cycle.isEmpty {
            lines.append("  cycle: " + cycle.joined(separator: " → "))
        }
        return lines.joined(separator: "\n")
    }
}

/// Seconds with millisecond precision and an "s": "1.000s".
public func formatSeconds(_ seconds: Double) -> String {
    guard seconds.isFinite, abs(seconds) < 9e15 else { return "\(seconds)s" }
    let millis = Int((seconds * 1000).rounded())
    let whole = millis / 1000
    let fraction = String(millis % 1000)
    return "\(whole).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
}
