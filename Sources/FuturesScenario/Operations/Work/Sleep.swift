/// `- sleep: n`: blocking I/O for a number of seconds.
public struct SleepOperation: Operation {
    public static let key = "sleep"
    public static let summary = "Blocking I/O for a number of seconds (virtual in the deterministic runtime); a GIL thread lets the GIL go meanwhile."
    public static let python = "time.sleep(n)"
    public static let example = "- sleep: n"
    public static let fields = [Field.required("seconds", .duration, "how long")]
    public static let form = OperationForm.value("seconds")

    public var seconds: Expression

    public static func read(_ input: OperationInput) -> Self? { input.duration("seconds").map(Self.init) }
    public var reads: [String] { seconds.names }
}

/// `- busy: 0.5`: CPU-bound work for a number of seconds.
public struct BusyOperation: Operation {
    public static let key = "busy"
    public static let summary = "CPU-bound work for a number of seconds: occupies a simulated core (and the GIL, in a GIL pool)."
    public static let python = "a loop that computes for 0.5 s"
    public static let example = "- busy: 0.5"
    public static let fields = [Field.required("seconds", .duration, "how long")]
    public static let form = OperationForm.value("seconds")

    public var seconds: Expression

    public static func read(_ input: OperationInput) -> Self? { input.duration("seconds").map(Self.init) }
    public var reads: [String] { seconds.names }
}
