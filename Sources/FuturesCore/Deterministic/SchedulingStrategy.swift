/// How a deterministic runtime picks the next thread at a scheduling point.
public enum SchedulingStrategy: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Uniformly at random among the runnable threads, from the run's seed.
    /// Different seeds explore different interleavings; the same seed repeats one.
    case random
    /// First come, first served, in turn: a thread that stays runnable at a
    /// scheduling point goes to the back of the queue.
    case roundRobin = "round-robin"

    public var description: String { rawValue }
}

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
