/// The one order of lanes, whatever order threads first show up in:
/// MainThread, then each executor's workers (executors and workers by name),
/// then the program's other threads by name — names compared naturally
/// (`_2` before `_10`, philosopher-0 … philosopher-4). `RunModel` and
/// `LaneModel` both sort by it, so every view lists lanes alike.
public struct LaneOrder: Sendable {
    /// Stacked runs (`StackedRuns`) come one after another, in their order.
    let variant: Int
    let rank: Int
    let executor: String
    let thread: String

    /// - Parameter executor: the executor the thread works for, if it is a worker.
    /// - Parameter variant: the run's place among stacked runs (0 for one run).
    public init(thread: String, executor: String?, variant: Int = 0) {
        self.thread = thread
        self.variant = variant
        let base = thread.split(separator: "/", maxSplits: 1).last.map(String.init) ?? thread
        if base == "MainThread" {
            (rank, self.executor) = (0, "")
        } else if let executor {
            (rank, self.executor) = (1, executor)
        } else {
            (rank, self.executor) = (2, "")
        }
    }

    public func precedes(_ other: LaneOrder) -> Bool {
        if variant != other.variant { return variant < other.variant }
        if rank != other.rank { return rank < other.rank }
        if executor != other.executor { return Self.naturalLess(executor, other.executor) }
        return Self.naturalLess(thread, other.thread)
    }

    /// "worker-2" before "worker-10": runs of digits compare as numbers.
    public static func naturalLess(_ a: String, _ b: String) -> Bool {
        var left = Substring(a), right = Substring(b)
        while let x = left.first, let y = right.first {
            if x.isNumber && y.isNumber {
                let xs = left.prefix { $0.isNumber }, ys = right.prefix { $0.isNumber }
                let xv = Int(xs) ?? 0, yv = Int(ys) ?? 0
                if xv != yv { return xv < yv }
                left = left.dropFirst(xs.count)
                right = right.dropFirst(ys.count)
            } else {
                if x != y { return x < y }
                left = left.dropFirst()
                right = right.dropFirst()
            }
        }
        return left.isEmpty && !right.isEmpty
    }
}
