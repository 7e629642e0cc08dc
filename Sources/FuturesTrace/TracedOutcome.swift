/// Something that can describe a finished call's value or error on demand: a
/// finished future (`AnyFuture` conforms).
public protocol OutcomeSource: AnyObject, Sendable {
    /// The value or error in words, and its type's name.
    func describeOutcome() -> (description: String, type: String)
}

/// The result or error of a call, as a trace records it: a reference to where
/// it lives, described only when a trace line is made. Recording a result then
/// costs a retain, not a `String(describing:)` on the worker's hot path.
public struct TracedOutcome: Sendable, Equatable, CustomStringConvertible {
    private let source: any OutcomeSource

    public init(_ source: any OutcomeSource) {
        self.source = source
    }

    /// An outcome already in words (a trace read back, a test's expectation).
    public init(description: String, type: String) {
        source = FixedOutcome(description: description, type: type)
    }

    /// The outcome of a call that returned `Void`: Python's `None`.
    public static let void = TracedOutcome(description: "None", type: "NoneType")

    /// The value or error in words and its type's name, described now (each
    /// call describes anew: take both at once).
    public var text: (description: String, type: String) { source.describeOutcome() }
    public var description: String { text.description }
    public var type: String { text.type }

    public static func == (lhs: TracedOutcome, rhs: TracedOutcome) -> Bool {
        lhs.source.describeOutcome() == rhs.source.describeOutcome()
    }
}

private final class FixedOutcome: OutcomeSource {
    let text: (description: String, type: String)

    init(description: String, type: String) {
        text = (description, type)
    }

    func describeOutcome() -> (description: String, type: String) { text }
}

/// A value or error that names its own type in traces and reprs: a scenario's
/// values say `int` or `str`, as Python would, rather than their Swift type.
public protocol TraceTypeNamed {
    var traceTypeName: String { get }
}
