import FuturesTraceSchema

/// What each thread did, as one list of typed segments per lane — the model
/// every timeline is to draw the same way (the dashboard, the headless
/// timeline, the SVG, the Chrome export), built from trace events alone.
///
/// A segment's kind is what the thread is doing: `running` a task (under a
/// GIL: holding the GIL and running), waiting for the GIL, a lock, a queue, a
/// future, a select, sleeping, in I/O, idle, or deadlocked. Unlike
/// `RunModel.Lane`'s nested blocks, segments of one lane never overlap: at
/// any instant a thread is doing exactly one thing. A segment lasts a while,
/// but for a deadlocked wait found and released at one virtual instant: it
/// is kept at zero length, for views to mark (a deadlock must never vanish).
public struct LaneModel: Sendable {
    public enum SegmentKind: String, Sendable, CaseIterable {
        case running
        case gilWait = "gil_wait"
        case lockWait = "lock_wait"
        case queueWait = "queue_wait"
        case futureWait = "future_wait"
        case sleep, io
        case selectWait = "select_wait"
        case idle, deadlocked
    }

    public struct Segment: Sendable, Equatable {
        public var start: UInt64
        /// nil while it lasts.
        public var end: UInt64?
        public var kind: SegmentKind
        /// The task running, or the future waited on.
        public var future: UInt64?
        /// The lock, queue, condition… waited on, by name.
        public var object: String?
    }

    public struct Lane: Sendable, Equatable {
        public var thread: String
        /// The executor the thread works for ("main" for MainThread, "threads" otherwise).
        public var group: String
        public var segments: [Segment] = []
    }

    /// The lanes in `LaneOrder`.
    public var lanes: [Lane] {
        threads.values.map(\.lane).sorted { order(of: $0).precedes(order(of: $1)) }
    }

    private func order(of lane: Lane) -> LaneOrder {
        LaneOrder(thread: lane.thread, executor: executorOf[lane.thread])
    }

    private var threads: [String: ThreadState] = [:]
    /// Worker → executor, from `worker_started`.
    private var executorOf: [String: String] = [:]

    public init() {}

    public init(events: [TraceEvent]) {
        for event in events { apply(event) }
    }

    public mutating func apply(_ event: TraceEvent) {
        let time = event.nanoseconds
        switch event.payload {
        case .workerStarted(let worker, let executor):
            executorOf[worker] = executor
            update(worker, at: time) { _ in }
        case .started(let future, let worker):
            update(worker, at: time) { $0.task = future }
        case .returned(let future, _, _), .raised(let future, _, _):
            guard let thread = threads.first(where: { $0.value.task == future })?.key else { return }
            update(thread, at: time) { $0.task = nil }
        case .gilTaken:
            guard let thread = event.thread else { return }
            update(thread, at: time) { $0.underGIL = true; $0.holdsGIL = true }
        case .gilDropped:
            guard let thread = event.thread else { return }
            update(thread, at: time) { $0.holdsGIL = false }
        case .waitBegan(let wait):
            guard let thread = event.thread else { return }
            update(thread, at: time) { $0.waits.append(OpenWait(wait: wait, deadlocked: false)) }
        case .waitEnded(let wait, _):
            guard let thread = event.thread else { return }
            update(thread, at: time) { state in
                if let index = state.waits.lastIndex(where: { $0.wait.kind == wait.kind && $0.wait.waitsFor == wait.waitsFor }) {
                    state.waits.remove(at: index)
                } else if !state.waits.isEmpty {
                    state.waits.removeLast()
                }
            }
        case .deadlock(let deadlock):
            for blocked in deadlock.blocked {
                update(blocked.thread, at: time) { state in
                    if !state.waits.isEmpty { state.waits[state.waits.count - 1].deadlocked = true }
                }
            }
        default:
            if let thread = event.thread { update(thread, at: time) { _ in } }
        }
    }

    // MARK: - Threads

    private struct OpenWait: Sendable {
        var wait: TraceEvent.Wait
        var deadlocked: Bool
    }

    private struct ThreadState: Sendable {
        var lane: Lane
        var task: UInt64?
        var underGIL = false
        var holdsGIL = false
        var waits: [OpenWait] = []

        /// What the thread is doing now.
        var now: (kind: SegmentKind, future: UInt64?, object: String?) {
            if let top = waits.last {
                if top.deadlocked { return (.deadlocked, top.wait.future, top.wait.object) }
                return (LaneModel.kind(of: top.wait), top.wait.future ?? task, top.wait.object)
            }
            guard let task else { return (.idle, nil, nil) }
            return (underGIL && !holdsGIL ? .gilWait : .running, task, nil)
        }
    }

    /// A wait's segment kind. Queues wait on their conditions, named after
    /// the queue (`q (not empty)`, `q (not full)`, `q (all tasks done)`),
    /// which is how a queue wait is told apart from a condition's.
    static func kind(of wait: TraceEvent.Wait) -> SegmentKind {
        switch wait.kind {
        case .future, .futures, .thread: .futureWait
        case .work, .other: .idle
        case .sleep: .sleep
        case .io: .io
        case .gil: .gilWait
        case .lock, .event, .semaphore: .lockWait
        case .condition: queueConditions.contains { (wait.object ?? "").hasSuffix($0) } ? .queueWait : .lockWait
        case .select: .selectWait
        }
    }

    static let queueConditions = [" (not empty)", " (not full)", " (all tasks done)"]

    /// Applies `change` to `thread`'s state at `time`, closing its current
    /// segment and opening the next when what it does changes.
    private mutating func update(_ thread: String, at time: UInt64, _ change: (inout ThreadState) -> Void) {
        var state = threads[thread] ?? ThreadState(lane: Lane(thread: thread, group: group(of: thread)))
        let before = state.now
        change(&state)
        let after = state.now
        if let last = state.lane.segments.indices.last, state.lane.segments[last].end == nil,
           before.kind == after.kind, before.future == after.future, before.object == after.object {
            threads[thread] = state
            return
        }
        if let last = state.lane.segments.indices.last, state.lane.segments[last].end == nil {
            if state.lane.segments[last].start == time, state.lane.segments[last].kind != .deadlocked {
                state.lane.segments.removeLast()  // nothing happened in between: no empty segment
            } else {
                state.lane.segments[last].end = time
            }
        }
        if let last = state.lane.segments.last, last.end == time, last.kind == after.kind,
           last.future == after.future, last.object == after.object {
            state.lane.segments[state.lane.segments.count - 1].end = nil  // the same thing resumes: one segment
        } else {
            state.lane.segments.append(Segment(start: time, end: nil, kind: after.kind, future: after.future, object: after.object))
        }
        threads[thread] = state
    }

    private func group(of thread: String) -> String {
        if thread == "MainThread" { return "main" }
        return executorOf[thread] ?? "threads"
    }
}
