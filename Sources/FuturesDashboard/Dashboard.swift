import FuturesModel
import FuturesTraceSchema

/// The dashboard's state machine: the playback of a run and the view of it.
/// `handle` and `tick` change it; `DashboardRenderer.render` draws it. No I/O:
/// the terminal loop feeds keys and time in and acts on the effects.
public struct Dashboard: Sendable {
    public enum Effect: Sendable, Equatable {
        case none, quit, rerun(newSeed: Bool)
        /// Rerun with these parameter values (the knob panel's enter).
        case rerunWith([Knob])
        /// An answer to the manual scheduler.
        case manual(ManualCommand)
    }

    public private(set) var playback: Playback
    public var view: ViewState
    /// The run as it was at the cursor, when the cursor is away from the playhead.
    private var cursorModel: RunModel?

    /// Questions already put to the class (event indices), so each is asked once.
    public private(set) var asked: Set<Int> = []

    /// Where the questions asked before the run plays (`ask_at: start`) are
    /// among the events: found once, not at every tick.
    private var startQuestions: [Int] = []

    public init(playback: Playback, view: ViewState) {
        self.playback = playback
        self.view = view
        startQuestions = Self.startQuestions(in: playback.events)
    }

    private static func startQuestions(in events: [TraceEvent]) -> [Int] {
        events.indices.filter { if case .question(let question) = events[$0].payload { question.atStart } else { false } }
    }

    /// What the panes show: the run at the cursor, or at the playhead.
    public var model: RunModel { cursorModel ?? playback.model }

    /// The time the panes show.
    public var shownTime: UInt64 { view.cursor ?? playback.playhead }

    public enum RunState: String, Sendable {
        case running = "RUNNING", paused = "PAUSED", finished = "FINISHED", deadlock = "DEADLOCK"
        /// A signal ended the run before its end (`aborted` in the trace).
        case stopped = "STOPPED"
    }

    public var runState: RunState {
        // The cursor decides: before the deadlock's time, the run was not yet stuck.
        if !model.deadlocks.isEmpty { return .deadlock }
        if playback.atEnd, case .aborted? = model.ending { return .stopped }
        if playback.atEnd { return .finished }
        return view.paused ? .paused : .running
    }

    // MARK: - Time

    /// Plays on: `wallNanoseconds` of real time passed since the last tick.
    /// A live run shows its events as they arrive (`liveClock`: its clock
    /// now); a deterministic run or a replay plays virtual time at the speed.
    public mutating func tick(wallNanoseconds: UInt64, liveClock: UInt64? = nil) {
        guard !view.paused else { return }
        let target = liveClock ?? playback.playhead &+ UInt64(Double(wallNanoseconds) * view.speed)
        if view.asksQuestions, let question = nextQuestion(upTo: target) {
            // Play up to the question, then put it to the class.
            if !isAskedAtStart(question) { playback.advance(to: playback.events[question].nanoseconds) }
            ask(question)
            return
        }
        playback.advance(to: target)
    }

    // MARK: - Questions

    /// The next question to ask, playing up to `target`: one asked at the
    /// start (a prediction before anything plays: only when the whole run is
    /// known), else the first one not asked yet that the run reaches by then.
    private func nextQuestion(upTo target: UInt64) -> Int? {
        if playback.isComplete, let index = startQuestions.first(where: { !asked.contains($0) }) { return index }
        var index = playback.applied
        while index < playback.events.count, playback.events[index].nanoseconds <= target {
            if case .question = playback.events[index].payload, !asked.contains(index) { return index }
            index += 1
        }
        return nil
    }

    private func isAskedAtStart(_ index: Int) -> Bool {
        if case .question(let question) = playback.events[index].payload { return question.atStart && playback.isComplete }
        return false
    }

    /// The question at `index` of the events, if that event is one.
    public func question(at index: Int) -> TraceEvent.Question? {
        guard playback.events.indices.contains(index), case .question(let question) = playback.events[index].payload else { return nil }
        return question
    }

    private mutating func ask(_ index: Int) {
        asked.insert(index)
        view.paused = true
        view.prediction = nil
        view.revealed = false
        view.overlay = .question(index)
    }

    /// A key while a question is up: 1–9 predict a choice, enter locks an
    /// open question's prediction, space reveals the run's answer and then
    /// plays on, esc closes it (paused), q quits.
    private mutating func answerQuestion(_ key: Key, _ index: Int) -> Effect {
        let question = question(at: index)
        switch key {
        case .character(let digit) where digit.isNumber:
            guard let number = digit.wholeNumberValue, let question, !view.revealed else { break }
            if (1...question.choices.count).contains(number) { view.prediction = number }
        case .enter:
            if !view.revealed, question?.choices.isEmpty == true { view.prediction = 0 }
        case .character(" "):
            if view.revealed {
                view.overlay = nil
                view.paused = playback.atEnd
            } else {
                view.revealed = true
            }
        case .escape:
            view.overlay = nil
        case .character("q"), .character("Q"):
            return .quit
        default:
            view.message = view.revealed ? "space plays on" : "1–9 predict · space reveals the run's answer"
        }
        return .none
    }

    /// A live run's events so far (all of them: the model is rebuilt unless
    /// the events it has applied are unchanged). For a run's final trace,
    /// whose times may differ by the clock's last calibration.
    public mutating func update(events: [TraceEvent], header: TraceHeader?, complete: Bool) {
        playback.replaceEvents(events, header: header, complete: complete)
        startQuestions = Self.startQuestions(in: playback.events)
    }

    /// A live run's events since the last call: what a live view does each
    /// poll, at the cost of the new events alone.
    public mutating func append(events fresh: [TraceEvent], header: TraceHeader?, complete: Bool) {
        let first = playback.events.count
        playback.appendEvents(fresh, header: header, complete: complete)
        startQuestions += Self.startQuestions(in: fresh).map { $0 + first }
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key, pageSize: Int = 10) -> Effect {
        if key == .resize { return .none }
        if view.searchInput != nil {
            typeSearch(key)
            return .none
        }
        if view.overlay == .knobs { return turnKnobs(key) }
        if case .question(let index)? = view.overlay { return answerQuestion(key, index) }
        if let effect = handleManual(key) { return effect }
        guard let intent = Keymap.intent(for: key) else {
            view.message = "no key \(Self.describe(key)) — ? for help"
            return .none
        }
        return handle(intent, pageSize: pageSize)
    }

    public mutating func handle(_ intent: Intent, pageSize: Int = 10) -> Effect {
        view.message = nil
        if case .some(let overlay) = view.overlay, intent != .quit, intent != .toggleHelp || overlay != .help {
            closeOverlay()
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
            if playback.applied < playback.events.count {
                playback.step()
                let index = playback.applied - 1
                if view.asksQuestions, let question = question(at: index), !question.atStart || !playback.isComplete, !asked.contains(index) {
                    ask(index)
                }
            } else {
                view.message = "no more events"
            }
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
            // Panes with nothing in them are skipped (the objects pane of a run without objects).
            let all = ViewState.Focus.allCases.filter { $0 != .objects || !model.objects.objects.isEmpty }
            let index = all.firstIndex(of: view.focus) ?? 0
            view.focus = all[(index + (intent == .focusNext ? 1 : all.count - 1)) % all.count]
        case .selectUp, .selectDown, .pageUp, .pageDown:
            let delta = switch intent {
            case .selectUp: -1
            case .selectDown: 1
            case .pageUp: -pageSize
            default: pageSize
            }
            switch view.focus {
            case .futures: view.selected = max(0, min(shownFutures.count - 1, view.selected + delta))
            case .timeline: view.laneScroll = max(0, min(max(0, TimelineRows(model).rows.count - 1), view.laneScroll + delta))
            case .objects: view.selectedObject = max(0, min(model.objects.objects.count - 1, view.selectedObject + delta))
            case .log: view.logScroll = max(0, min(max(0, model.log.count - 1), view.logScroll - delta))
            }
        case .openDetail:
            if view.focus == .timeline {
                guard let thread = selectedLane else {
                    view.message = "no thread selected"
                    return .none
                }
                view.overlay = .thread(thread)
                return .none
            }
            if view.focus == .objects {
                guard model.objects.objects.indices.contains(view.selectedObject) else {
                    view.message = "no object selected"
                    return .none
                }
                view.overlay = .object(model.objects.objects[view.selectedObject].name)
                return .none
            }
            let rows = shownFutures
            guard rows.indices.contains(view.selected) else {
                view.message = "no future selected"
                return .none
            }
            view.overlay = .detail(rows[view.selected].id)
        case .closeOverlay:
            closeOverlay()
        case .toggleHelp:
            if view.overlay == .help {
                closeOverlay()
            } else {
                // The help pauses the run; closing it restores what was.
                view.pausedBeforeHelp = view.paused
                view.paused = true
                view.overlay = .help
            }
        case .beginSearch:
            view.searchInput = ""
        case .nextMatch, .previousMatch:
            guard let query = view.search else {
                view.message = "no search yet: / to search"
                return .none
            }
            showMatch(query, step: intent == .nextMatch ? 1 : -1)
        case .openKnobs:
            guard !view.knobs.isEmpty else {
                view.message = "this scenario declares no parameters (params:)"
                return .none
            }
            view.overlay = .knobs
        case .cycleFilter:
            let order: [RunModel.FutureState?] = [nil, .running, .pending, .finished, .raised, .cancelled]
            let index = order.firstIndex { $0 == view.filter } ?? 0
            view.filter = order[(index + 1) % order.count]
            view.selected = 0
            view.focus = .futures
            view.message = view.filter.map { "futures: only \($0.rawValue) (f: the next state)" } ?? "futures: all"
        case .rerun:
            return .rerun(newSeed: false)
        case .rerunWithNewSeed:
            return .rerun(newSeed: true)
        }
        return .none
    }

    /// The timeline's selected thread: the first lane at or after its scroll.
    public var selectedLane: String? {
        for row in TimelineRows(model).rows.dropFirst(view.laneScroll) {
            if case .lane(let lane) = row { return lane.thread }
        }
        return nil
    }

    /// The futures the table shows: all, or those in the filter's state.
    public var shownFutures: [RunModel.FutureRow] {
        guard let filter = view.filter else { return model.futures }
        return model.futures.filter { $0.state == filter }
    }

    private mutating func closeOverlay() {
        if view.overlay == .help, !playback.atEnd { view.paused = view.pausedBeforeHelp }
        view.overlay = nil
    }

    // MARK: - Knobs

    /// A key while the knob panel is open: ↑↓ pick, ←→ change, enter reruns,
    /// esc or p closes (the values stay for the next rerun).
    private mutating func turnKnobs(_ key: Key) -> Effect {
        switch key {
        case .up, .character("k"): view.selectedKnob = max(0, view.selectedKnob - 1)
        case .down, .character("j"): view.selectedKnob = min(view.knobs.count - 1, view.selectedKnob + 1)
        case .left, .right, .character("-"), .character("+"):
            guard view.knobs.indices.contains(view.selectedKnob) else { break }
            view.knobs[view.selectedKnob].turn(up: key == .right || key == .character("+"))
        case .enter:
            view.overlay = nil
            return .rerunWith(view.knobs)
        case .escape, .character("p"):
            view.overlay = nil
        case .character("q"):
            return .quit
        default:
            break
        }
        return .none
    }

    // MARK: - Search

    /// A key while a search is typed: characters add, backspace removes,
    /// enter searches, escape gives up.
    private mutating func typeSearch(_ key: Key) {
        switch key {
        case .character(let character):
            view.searchInput?.append(character)
        case .backspace:
            if view.searchInput?.isEmpty == false { view.searchInput?.removeLast() } else { view.searchInput = nil }
        case .escape:
            view.searchInput = nil
        case .enter:
            let query = view.searchInput ?? ""
            view.searchInput = nil
            guard !query.isEmpty else { return }
            view.search = query
            view.searchMatch = -1
            showMatch(query, step: 1)
        default:
            break
        }
    }

    /// Where a search matches: a row of the futures table, of the timeline
    /// (a thread), or a log line.
    public enum Match: Equatable { case future(Int), lane(Int), log(Int) }

    /// Futures (label, result, error), threads and log lines containing
    /// `query`, ignoring case.
    public func matches(_ query: String) -> [Match] {
        let needle = query.lowercased()
        func found(_ text: String?) -> Bool { text?.lowercased().contains(needle) == true }
        let futures = shownFutures.enumerated().filter { found($0.element.label) || found($0.element.result) || found($0.element.exception) }
            .map { Match.future($0.offset) }
        let lanes = TimelineRows(model).rows.enumerated().compactMap { index, row -> Match? in
            if case .lane(let lane) = row, found(lane.thread) { return .lane(index) }
            return nil
        }
        let lines = model.log.filter { $0.level != "note" }.enumerated().filter { found($0.element.message) }.map { Match.log($0.offset) }
        return futures + lanes + lines
    }

    /// Moves to the next (or previous) match and shows it.
    private mutating func showMatch(_ query: String, step: Int) {
        let all = matches(query)
        guard !all.isEmpty else {
            view.message = "no match for '\(query)'"
            return
        }
        view.searchMatch = ((view.searchMatch + step) % all.count + all.count) % all.count
        switch all[view.searchMatch] {
        case .future(let row):
            view.focus = .futures
            view.selected = row
        case .lane(let row):
            view.focus = .timeline
            view.laneScroll = row
        case .log(let index):
            view.focus = .log
            view.logScroll = max(0, model.log.filter { $0.level != "note" }.count - 1 - index)
        }
        view.message = "'\(query)': match \(view.searchMatch + 1) of \(all.count) (n / N)"
    }

    /// The whole run's span on the timeline (what has been played so far, or
    /// all of it when the events are known in advance).
    public var totalSpan: UInt64 {
        max(1, view.isLive ? playback.playhead : max(playback.endTime, playback.playhead))
    }

    public var visibleSpan: UInt64 { min(view.span ?? totalSpan, totalSpan) }

    /// Pauses and shows the run as it was at `time` (nil: follow the playhead).
    public mutating func seek(to time: UInt64?) {
        view.paused = true
        moveCursor(to: time.map { min($0, playback.playhead) })
    }

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
