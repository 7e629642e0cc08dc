import FuturesModel

/// Everything about the display that is not the run: pause, speed, cursor,
/// zoom, focus, selection, scrolling, search, filter, overlays. Changed only
/// by `Dashboard`.
public struct ViewState: Sendable, Equatable {
    public enum Focus: String, Sendable, CaseIterable { case futures, timeline, objects, log }
    public enum Overlay: Sendable, Equatable {
        case help, detail(UInt64), object(String), thread(String), knobs
        /// The question of the event at this index of the playback.
        case question(Int)
    }

    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16]

    public var paused = false
    /// Whether the run was paused before the help opened (closing it restores that).
    public var pausedBeforeHelp = false
    public var speedIndex = 2
    /// A time the user moved to with ← / →; nil follows the playhead.
    public var cursor: UInt64?
    /// Visible time span of the timeline; nil shows the whole run.
    public var span: UInt64?
    public var focus: Focus = .futures
    /// The selected row of the futures table (among the rows the filter shows).
    public var selected = 0
    /// The selected row of the objects pane.
    public var selectedObject = 0
    /// The first timeline row shown (headings and lanes).
    public var laneScroll = 0
    /// Lines scrolled back from the end of the log (0 follows new lines).
    public var logScroll = 0
    /// The futures table shows only futures in this state (`f` cycles).
    public var filter: RunModel.FutureState?
    /// What is typed after `/`, while it is typed.
    public var searchInput: String?
    /// The last search, for `n` / `N`, and which of its matches is shown.
    public var search: String?
    public var searchMatch = 0
    public var overlay: Overlay?
    /// Whether the run pauses on its questions (`--no-questions` turns it off).
    public var asksQuestions = true
    /// The class's prediction for the open question: a choice (1…), or 0 for
    /// an open question locked with enter; and whether the answer is shown.
    public var prediction: Int?
    public var revealed = false
    /// The scenario's parameters as the next rerun will set them (`p`), and the one picked.
    public var knobs: [Knob] = []
    public var selectedKnob = 0
    /// A one-line message in the footer (what a key did, or why it did nothing).
    public var message: String?
    public var color = true
    /// Wall clock for native runs, played virtual time otherwise.
    public var isLive = false
    /// Set when the user is the scheduler (`run --scheduler manual`).
    public var manual: ManualView?

    public init(color: Bool = true, isLive: Bool = false) {
        self.color = color
        self.isLive = isLive
    }

    public var speed: Double { Self.speeds[speedIndex] }

    /// `1×`, `0.25×`, `16×`.
    public var speedText: String {
        let value = speed
        let text = value == value.rounded() ? String(Int(value)) : String(value)
        return text + "×"
    }
}
