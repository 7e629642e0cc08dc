/// A scenario parameter as the knob panel turns it (`p`): its name, what it
/// changes, and its value with the range it may take. The session makes
/// knobs from the scenario's parameters and turns them back into `--set`
/// values for the rerun; the dashboard itself knows no scenario.
public struct Knob: Sendable, Equatable {
    public enum Setting: Sendable, Equatable {
        case int(Int, minimum: Int?, maximum: Int?)
        /// Numbers turn by doubling and halving (intervals and delays span decades).
        case number(Double, minimum: Double?, maximum: Double?)
        case bool(Bool)
        /// One of a list (a parameter with `choices`).
        case choice(Int, [String])
        case text(String)
    }

    public var name: String
    public var doc: String
    public var setting: Setting

    public init(name: String, doc: String, setting: Setting) {
        self.name = name
        self.doc = doc
        self.setting = setting
    }

    /// The value as `--set` takes it and the header shows it.
    public var text: String {
        switch setting {
        case .int(let value, _, _): String(value)
        case .number(let value, _, _): Self.format(value)
        case .bool(let flag): flag ? "true" : "false"
        case .choice(let index, let choices): choices.indices.contains(index) ? choices[index] : ""
        case .text(let text): text
        }
    }

    /// One step up (`up`) or down, within its range.
    public mutating func turn(up: Bool) {
        switch setting {
        case .int(let value, let minimum, let maximum):
            var next = value + (up ? 1 : -1)
            if let minimum { next = max(minimum, next) }
            if let maximum { next = min(maximum, next) }
            setting = .int(next, minimum: minimum, maximum: maximum)
        case .number(let value, let minimum, let maximum):
            var next = value == 0 ? (up ? 0.001 : 0) : (up ? value * 2 : value / 2)
            if let minimum { next = max(minimum, next) }
            if let maximum { next = min(maximum, next) }
            setting = .number((next * 1e9).rounded() / 1e9, minimum: minimum, maximum: maximum)
        case .bool(let flag):
            setting = .bool(!flag)
        case .choice(let index, let choices):
            guard !choices.isEmpty else { return }
            setting = .choice((index + (up ? 1 : choices.count - 1)) % choices.count, choices)
        case .text:
            break
        }
    }

    static func format(_ value: Double) -> String {
        var text = String(value)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
