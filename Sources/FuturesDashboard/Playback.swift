import FuturesModel
import FuturesTraceSchema

/// A run's events and how far the dashboard has played them: the model holds
/// exactly the events up to the playhead. Live native runs append events as
/// they come; deterministic runs and replays have them all from the start and
/// play them on a virtual clock.
public struct Playback: Sendable {
    public private(set) var header: TraceHeader?
    public private(set) var events: [TraceEvent]
    /// Events applied to `model` so far.
    public private(set) var applied = 0
    public private(set) var model: RunModel
    /// The time on the run's clock the display has reached.
    public private(set) var playhead: UInt64 = 0
    /// True once no more events will come (the run ended, or a replay).
    public var isComplete: Bool
    /// Log lines among all the events known (the layout keeps rows for them).
    public private(set) var logLines = 0

    public init(header: TraceHeader?, events: [TraceEvent], isComplete: Bool) {
        self.header = header
        self.events = events
        self.isComplete = isComplete
        self.model = RunModel(header: header)
        logLines = Self.countLogLines(events)
    }

    static func countLogLines(_ events: [TraceEvent]) -> Int {
        events.count { if case .log = $0.payload { true } else { false } }
    }

    /// The last event's time (the run's end once complete).
    public var endTime: UInt64 { events.last?.nanoseconds ?? 0 }

    /// Every event shown and no more to come.
    public var atEnd: Bool { isComplete && applied == events.count }

    /// A live run's newer events (and its header, once known).
    public mutating func replaceEvents(_ events: [TraceEvent], header: TraceHeader?, complete: Bool) {
        if header != nil { self.header = header }
        let keepsPrefix = events.count >= applied && zip(self.events.prefix(applied), events.prefix(applied)).allSatisfy { $0 == $1 }
        self.events = events
        logLines = Self.countLogLines(events)
        isComplete = complete
        if !keepsPrefix { rebuild(upTo: playhead) }
    }

    /// A live run's events since the last call (and its header, once known):
    /// the cost is that of the new events alone, however long the run.
    public mutating func appendEvents(_ fresh: [TraceEvent], header: TraceHeader?, complete: Bool) {
        if header != nil { self.header = header }
        events.append(contentsOf: fresh)
        logLines += Self.countLogLines(fresh)
        isComplete = complete
    }

    /// Plays forward to `time`: every event at or before it is applied.
    public mutating func advance(to time: UInt64) {
        playhead = max(playhead, time)
        while applied < events.count, events[applied].nanoseconds <= playhead {
            model.apply(events[applied])
            applied += 1
        }
        // A finished run's time ends with its last event.
        if atEnd { playhead = endTime }
    }

    /// One event forward; the playhead moves to its time.
    public mutating func step() {
        guard applied < events.count else { return }
        let event = events[applied]
        model.apply(event)
        applied += 1
        playhead = max(playhead, event.nanoseconds)
    }

    /// Replays from the start up to `time` (moving back needs a fresh model).
    public mutating func rebuild(upTo time: UInt64) {
        model = RunModel(header: header)
        applied = 0
        playhead = 0
        advance(to: time)
        playhead = time
    }

    /// The time of the next event not yet shown.
    public var nextEventTime: UInt64? { applied < events.count ? events[applied].nanoseconds : nil }
}
