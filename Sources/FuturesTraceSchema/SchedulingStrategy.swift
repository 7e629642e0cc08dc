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
