/// How a deterministic runtime picks the next thread at a scheduling point.
public enum SchedulingStrategy: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Uniformly at random among the runnable threads, from the run's seed.
    /// Different seeds explore different interleavings; the same seed repeats one.
    case random
    /// First come, first served, in turn: a thread that stays runnable at a
    /// scheduling point goes to the back of the queue.
    case roundRobin = "round-robin"
    /// Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010):
    /// every thread gets a random priority, the highest-priority runnable
    /// thread runs, and at `pctDepth - 1` random steps among the first
    /// `pctHorizon` the running thread drops below all others. A bug that needs
    /// d ordering constraints among n threads and k steps shows up with
    /// probability at least 1/(n·k^(d-1)) per seed; and a thread keeps running
    /// until it blocks or hits a change point, so runs switch threads far less.
    case pct

    public var description: String { rawValue }
}

/// PCT's depth: bugs of up to this many ordering constraints are targeted.
let pctDepth = 3
/// The steps among which PCT's priority change points are drawn.
let pctHorizon: UInt64 = 2_000

/// SplitMix64: small, fast and fully determined by its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
