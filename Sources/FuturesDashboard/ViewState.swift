/// Everything about the display that is not the run: pause, speed, cursor,
/// zoom, focus, selection, scrolling, overlays. Changed only by `Dashboard`.
public struct ViewState: Sendable, Equatable {
    public enum Focus: String, Sendable, CaseIterable { case futures, timeline, log }
    public enum Overlay: Sendable, Equatable { case help, detail(UInt64) }

    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16]

    public var paused = false
    public var speedIndex = 2
    /// A time the user moved to with ← / →; nil follows the playhead.
    public var cursor: UInt64?
    /// Visible time span of the timeline; nil shows the whole run.
    public var span: UInt64?
    public var focus: Focus = .futures
    /// The selected row of the futures table.
    public var selected = 0
    public var futuresScroll = 0
    public var laneScroll = 0
    /// Lines scrolled back from the end of the log (0 follows new lines).
    public var logScroll = 0
    public var overlay: Overlay?
    /// A one-line message in the footer (what a key did, or why it did nothing).
    public var message: String?
    public var color = true
    /// Wall clock for native runs, played virtual time otherwise.
    public var isLive = false

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
