/// A key press, as the backend decodes it.
public enum Key: Sendable, Equatable {
    case character(Character)
    case left, right, up, down, pageUp, pageDown, home, end
    case enter, tab, backTab, escape, backspace
    case resize
}

/// What a key asks for.
public enum Intent: Sendable, Equatable {
    case togglePause, step, faster, slower
    case cursorBack, cursorForward, cursorToStart, cursorToEnd
    case zoomIn, zoomOut
    case focusNext, focusPrevious
    case selectUp, selectDown, pageUp, pageDown
    case openDetail, closeOverlay, toggleHelp
    case beginSearch, nextMatch, previousMatch, cycleFilter, openKnobs
    case rerun, rerunWithNewSeed
    case quit
}

public enum Keymap {
    public static func intent(for key: Key) -> Intent? {
        switch key {
        case .character(" "): .togglePause
        case .character("s"), .character("."): .step
        case .character("+"), .character("="): .faster
        case .character("-"), .character("_"): .slower
        case .left: .cursorBack
        case .right: .cursorForward
        case .home, .character("g"): .cursorToStart
        case .end, .character("G"): .cursorToEnd
        case .character("z"): .zoomIn
        case .character("Z"): .zoomOut
        case .tab: .focusNext
        case .backTab: .focusPrevious
        case .up, .character("k"): .selectUp
        case .down, .character("j"): .selectDown
        case .pageUp: .pageUp
        case .pageDown: .pageDown
        case .enter: .openDetail
        case .escape: .closeOverlay
        case .character("?"), .character("h"): .toggleHelp
        case .character("/"): .beginSearch
        case .character("n"): .nextMatch
        case .character("N"): .previousMatch
        case .character("f"): .cycleFilter
        case .character("p"): .openKnobs
        case .character("r"): .rerun
        case .character("R"): .rerunWithNewSeed
        case .character("q"), .character("Q"): .quit
        default: nil
        }
    }

    /// The help overlay's lines: key, what it does.
    public static let help: [(keys: String, action: String)] = [
        ("space", "pause / resume (a live run jumps to now)"),
        ("s  .", "one event forward (pauses)"),
        ("+  -", "speed 0.25× … 16× (virtual time)"),
        ("←  →", "move the cursor in time"),
        ("g  G", "cursor to the start / end (also Home / End)"),
        ("z  Z", "zoom the timeline in / out"),
        ("tab", "focus: futures → timeline → objects → log"),
        ("↑ ↓  k j", "select a row / scroll the focused pane"),
        ("PgUp PgDn", "a page up / down"),
        ("enter", "detail of the selected future, thread or object"),
        ("/  n  N", "search futures, threads, the log; next / previous match"),
        ("f", "filter the futures by state"),
        ("p", "the knobs: ↑↓ pick, ←→ change, enter reruns with them"),
        ("r  R", "rerun with the same seed / a new seed"),
        ("1–9 a u w", "--scheduler manual: run thread N / seed on / undo / write"),
        ("?  h  esc", "this help (pauses the run) · esc closes a window"),
        ("q", "quit"),
    ]
}
