import FuturesModel
import FuturesTraceSchema

/// The dashboard's state machine: the playback of a run and the view of it.
/// `handle` and `tick` change it; `DashboardRenderer.render` draws it. No I/O:
/// the terminal loop feeds keys and time in and acts on the effects.
public struct Dashboard: Sendable {
    public enum Effect: Sendable, Equatable { case none, quit, rerun(newSeed: Bool) }

    public private(set) var playback: Playback
    public var view: ViewState
    /// The run as it was at the cursor, when the cursor is away from the playhead.
    private var cursorModel: RunModel?

    public init(playback: Playback, view: ViewState) {
        self.playback = playback
        self.view = view
    }

    /// What the panes show: the run at the cursor, or at the playhead.
    public var model: RunModel { cursorModel ?? playback.model }

    /// The time the panes show.
    public var shownTime: UInt64 { view.cursor ?? playback.playhead }

    public enum RunState: String, Sendable { case running = "RUNNING", paused = "PAUSED", finished = "FINISHED", deadlock = "DEADLOCK" }

    public var runState: RunState {
        if !playback.model.deadlocks.isEmpty { return .deadlock }
        if playback.atEnd { return .finished }
        return view.paused ? .paused : .running
    }

    // MARK: - Time

    /// Plays on: `wallNanoseconds` of real time passed since the last tick.
    /// A live run shows its events as they arrive (`liveClock`: its clock
    /// now); a deterministic run or a replay plays virtual time at the speed.
    public mutating func tick(wallNanoseconds: UInt64, liveClock: UInt64? = nil) {
        guard !view.paused else { return }
        if let liveClock {
            playback.advance(to: liveClock)
        } else {
            playback.advance(to: playback.playhead &+ UInt64(Double(wallNanoseconds) * view.speed))
        }
    }

    /// A live run's events so far.
    public mutating func update(events: [TraceEvent], header: TraceHeader?, complete: Bool) {
        playback.replaceEvents(events, header: header, complete: complete)
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key, pageSize: Int = 10) -> Effect {
        if key == .resize { return .none }
        guard let intent = Keymap.intent(for: key) else {
            view.message = "no key \(Self.describe(key)) — ? for help"
            return .none
        }
        return handle(intent, pageSize: pageSize)
    }

    public mutating func handle(_ intent: Intent, pageSize: Int = 10) -> Effect {
        view.message = nil
        if case .some(let overlay) = view.overlay, intent != .quit, intent != .toggleHelp || overlay != .help {
            view.overlay = nil
            if intent == .closeOverlay || intent == .openDetail { return .none }
        }
        switch intent {
        case .quit:
            return .quit
        case .togglePause:
            if playback.atEnd {
                view.message = "the run has ended: ← → move the cursor, r reruns"
            } else {
                view.paused.toggle()
                if !view.paused { moveCursor(to: nil) }
            }
        case .step:
            view.paused = true
            moveCursor(to: nil)
            if playback.applied < playback.events.count { playback.step() } else { view.message = "no more events" }
        case .faster:
            view.speedIndex = min(ViewState.speeds.count - 1, view.speedIndex + 1)
            if view.isLive { view.message = "a native run plays in real time; speed applies to replays" }
        case .slower:
            view.speedIndex = max(0, view.speedIndex - 1)
            if view.isLive { view.message = "a native run plays in real time; speed applies to replays" }
        case .cursorBack, .cursorForward, .cursorToStart, .cursorToEnd:
            guard view.paused || playback.atEnd else {
                view.message = "pause first (space) to move the cursor"
                return .none
            }
            let limit = playback.playhead
            let stepSize = max(1_000, visibleSpan / 40)
            let now = shownTime
            switch intent {
            case .cursorBack: moveCursor(to: now > stepSize ? now - stepSize : 0)
            case .cursorForward: moveCursor(to: min(limit, now + stepSize))
            case .cursorToStart: moveCursor(to: 0)
            default: moveCursor(to: limit)
            }
        case .zoomIn:
            view.span = max(1_000, (view.span ?? visibleSpan) / 2)
        case .zoomOut:
            let wider = (view.span ?? visibleSpan) * 2
            view.span = wider >= totalSpan ? nil : wider
        case .focusNext, .focusPrevious:
            let all = ViewState.Focus.allCases
            let index = all.firstIndex(of: view.focus)!
            view.focus = all[(index + (intent == .focusNext ? 1 : all.count - 1)) % all.count]
        case .selectUp, .selectDown, .pageUp, .pageDown:
            let delta = switch intent {
            case .selectUp: -1
            case .selectDown: 1
            case .pageUp: -pageSize
            default: pageSize
            }
            switch view.focus {
            case .futures: view.selected = max(0, min(model.futures.count - 1, view.selected + delta))
            case .timeline: view.laneScroll = max(0, min(max(0, model.lanes.count - 1), view.laneScroll + delta))
            case .log: view.logScroll = max(0, min(max(0, model.log.count - 1), view.logScroll - delta))
            }
        case .openDetail:
            guard model.futures.indices.contains(view.selected) else {
                view.message = "no future selected"
                return .none
            }
            view.overlay = .detail(model.futures[view.selected].id)
        case .closeOverlay:
            view.overlay = nil
        case .toggleHelp:
            view.overlay = view.overlay == .help ? nil : .help
        case .rerun:
            return .rerun(newSeed: false)
        case .rerunWithNewSeed:
            return .rerun(newSeed: true)
        }
        return .none
    }

    /// The whole run's span on the timeline (what has been played so far, or
    /// all of it when the events are known in advance).
    public var totalSpan: UInt64 {
        max(1, view.isLive ? playback.playhead : max(playback.endTime, playback.playhead))
    }

    public var visibleSpan: UInt64 { min(view.span ?? totalSpan, totalSpan) }

    private mutating func moveCursor(to time: UInt64?) {
        view.cursor = time
        if let time, time < playback.playhead {
            var past = Playback(header: playback.header, events: playback.events, isComplete: playback.isComplete)
            past.rebuild(upTo: time)
            cursorModel = past.model
        } else {
            cursorModel = nil
        }
    }

    static func describe(_ key: Key) -> String {
        if case .character(let character) = key { return "'\(character)'" }
        return "\(key)"
    }
}
