/// The manual scheduler as the dashboard shows it (`run --scheduler
/// manual`): the scheduling point the run waits at, the runnable threads and
/// what each is in, and — once the run has ended — what the choices came to.
/// The session fills it in from the run; keys answer it (`ManualCommand`).
public struct ManualView: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public var thread: String
        public var doing: String
        public init(thread: String, doing: String) {
            self.thread = thread
            self.doing = doing
        }
    }

    /// The scheduling point the run waits at (nil: running, or ended).
    public var point: Int?
    public var choices: [Choice] = []
    /// The seeded strategy's pick among `choices`.
    public var strategyPick = 0
    public var selected = 0
    /// Decisions made so far (picks and `a`s).
    public var decisions = 0
    /// Once the run has ended: what it came to, in a line, and whether that
    /// is a failure found (a deadlock, a failed expectation).
    public var ending: String?
    public var found = false
    /// A deadlock the choices led to, said as soon as it happens (the run
    /// goes on: its waits were released).
    public var discovery: String?

    public init() {}

    public var isWaiting: Bool { point != nil && !choices.isEmpty }
}

/// What a key asks of the manual scheduler.
public enum ManualCommand: Sendable, Equatable {
    /// Run the thread at this index of the choices.
    case pick(Int)
    /// Let the seeded strategy choose up to the next lock, queue or future.
    case auto
    /// Back to the point of the last decision.
    case undo
    /// Write the schedule so far to a file.
    case write
}

extension Dashboard {
    /// The manual scheduler's keys: 1–9, ↑ ↓ and enter pick; a, u, w. Nil
    /// when the key is not one of them (it goes on to the usual keys).
    mutating func handleManual(_ key: Key) -> Effect? {
        guard var manual = view.manual, view.overlay == nil, view.searchInput == nil else { return nil }
        defer { view.manual = manual }
        switch key {
        case .character(let character) where character.isNumber:
            guard let number = character.wholeNumberValue, number >= 1 else { return nil }
            guard manual.isWaiting else {
                view.message = manual.ending == nil ? "the run is going on: wait for the next choice" : "the run has ended: u undoes the last choice"
                return Effect.none
            }
            guard number <= manual.choices.count else {
                view.message = "only \(manual.choices.count) threads can run here: 1–\(manual.choices.count)"
                return Effect.none
            }
            return .manual(.pick(number - 1))
        case .up, .down:
            guard manual.isWaiting else { return nil }
            let count = manual.choices.count
            manual.selected = (manual.selected + (key == .down ? 1 : count - 1)) % count
            return Effect.none
        case .enter:
            guard manual.isWaiting else { return nil }
            return .manual(.pick(manual.selected))
        case .character("a"):
            guard manual.isWaiting else {
                view.message = "no choice to make now"
                return Effect.none
            }
            return .manual(.auto)
        case .character("u"):
            return .manual(.undo)
        case .character("w"):
            return .manual(.write)
        default:
            return nil
        }
    }
}
