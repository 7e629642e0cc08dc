/// The bounds a run stays within (`run --max-steps`, `--max-log-lines`,
/// `--max-wall`, `--max-virtual`): a run that reaches one is stopped with
/// the report so far, says which, and exits 4 (docs/scenario-format.md,
/// "Limits").
public struct RunLimits: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case steps = "--max-steps"
        case logLines = "--max-log-lines"
        case wall = "--max-wall"
        case virtual = "--max-virtual"
    }

    /// Interpreter steps, all threads together.
    public var steps = 2_000_000
    /// Lines of the run's log (`log`, `note`, a thread's error).
    public var logLines = 100_000
    /// Seconds of real time, for a native run (nil: none).
    public var wallSeconds: Double?
    /// Seconds of the virtual clock, for a deterministic run (nil: none).
    public var virtualSeconds: Double?

    public init() {}

    /// What the report says of a limit reached.
    public func describe(_ kind: Kind) -> String {
        switch kind {
        case .steps: "the run was stopped at its limit of \(steps) steps (\(kind.rawValue))"
        case .logLines: "the run was stopped at its limit of \(logLines) log lines (\(kind.rawValue))"
        case .wall: "the run was stopped at its limit of \(wallSeconds ?? 0) s of real time (\(kind.rawValue))"
        case .virtual: "the run was stopped at its limit of \(virtualSeconds ?? 0) s of virtual time (\(kind.rawValue))"
        }
    }
}

/// Thrown at the step where a run reaches a limit, and at every thread's
/// next step after: the run unwinds and ends.
struct RunLimitReached: Error, CustomStringConvertible {
    let limit: RunLimits.Kind
    var description: String { "the run reached its limit (\(limit.rawValue))" }
}
