/// Which runtime ran a program: real threads on the wall clock, or one
/// thread at a time, seeded, on a virtual clock.
public enum RuntimeKind: String, Sendable, Codable, CaseIterable {
    case native, deterministic

    /// The clock a run of this runtime keeps.
    public var clock: ClockKind { self == .native ? .wall : .virtual }
}

/// The clock of a run's timestamps.
public enum ClockKind: String, Sendable, Codable, CaseIterable {
    case wall, virtual
}
