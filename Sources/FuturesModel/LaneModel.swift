import FuturesTraceSchema

/// What each thread did, as one list of typed segments per lane — the model
/// every timeline draws the same way (the dashboard, the headless timeline,
/// the SVG, the Chrome export), built from trace events alone.
///
/// A segment's kind is what the thread is doing: `running` a task (under a
/// GIL: holding the GIL and running), waiting for the GIL, a lock, a queue, a
/// future, a select, sleeping, in I/O, idle, or deadlocked. Segments of one
/// lane never overlap and are in time order: at any instant a thread is doing
/// exactly one thing. A wait found deadlocked is `deadlocked` from the moment
/// it began until it was released (or the run's end).
///
/// Lanes are grouped by the executor their thread works for (the scenario's
/// name for it when the trace has one) and kept in `LaneOrder` as they come.
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
        /// The task the thread is running (waits inside a task included).
        public var task: UInt64?
    }

    /// Something that happened at one instant on a lane: a put, a get, a
    /// notify, an event set, a select woken.
    public struct Mark: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable { case put, get, notify, set, wake }
        public var time: UInt64
        public var kind: Kind
        public var object: String
    }

    public struct Lane: Sendable, Equatable {
        public var thread: String
        /// The scenario's name for the executor the thread works for, its
        /// Python name when the trace has no other, "main" for MainThread
        /// and "threads" for the program's own threads.
        public var group: String
        public internal(set) var segments: [Segment] = []
        public internal(set) var marks: [Mark] = []
        /// Summaries of whole runs of `Block.size` settled segments, in
        /// order: a view that puts hundreds of segments in one column adds
        /// a block's totals instead of walking its segments (a frame's cost
        /// stays flat however long the run).
        public internal(set) var blocks: [Block] = []

        /// What `Block.size` consecutive segments add up to.
        public struct Block: Sendable, Equatable {
            public static let size = 64
            public var start: UInt64
            public var end: UInt64
            /// Nanoseconds per `SegmentKind` (in `allCases` order).
            public var time: [UInt64]
            /// The first of the longest busy (not idle) segments.
            public var longest: (length: UInt64, future: UInt64?, task: UInt64?)
            public var hasDeadlocked: Bool

            public static func == (a: Block, b: Block) -> Bool {
                a.start == b.start && a.end == b.end && a.time == b.time && a.longest.length == b.longest.length
                    && a.longest.future == b.longest.future && a.longest.task == b.longest.task && a.hasDeadlocked == b.hasDeadlocked
            }
        }

        /// Summarises every whole block of settled segments not yet summarised.
        /// Only the last two segments of a lane ever change (the open one is
        /// closed, dropped or marked deadlocked; the one before may reopen), so
        /// everything before them is settled.
        mutating func summariseSettled() {
            let kinds = LaneModel.SegmentKind.allCases
            while (blocks.count + 1) * Block.size <= segments.count - 2 {
                let range = blocks.count * Block.size ..< (blocks.count + 1) * Block.size
                var time = [UInt64](repeating: 0, count: kinds.count)
                var longest: (length: UInt64, future: UInt64?, task: UInt64?) = (0, nil, nil)
                var found = false
                var deadlocked = false
                for segment in segments[range] {
                    let length = (segment.end ?? segment.start) - segment.start
                    time[Lane.kindIndex[segment.kind]!] += length
                    if segment.kind == .deadlocked { deadlocked = true }
                    if segment.kind != .idle, length > 0, !found || length > longest.length {
                        longest = (length, segment.future, segment.task)
                        found = true
                    }
                }
                blocks.append(Block(start: segments[range.lowerBound].start, end: segments[range.upperBound - 1].end ?? segments[range.upperBound - 1].start,
                                    time: time, longest: longest, hasDeadlocked: deadlocked))
            }
        }

        /// The index of the segment under `time` (or the last before it).
        public func segmentIndex(at time: UInt64) -> Int? {
            var low = 0, high = segments.count
            while low < high {
                let middle = (low + high) / 2
                if segments[middle].start <= time { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? nil : low - 1
        }
    }

    /// The lanes in `LaneOrder`.
    public private(set) var lanes: [Lane] = []
    /// Executors as the trace declares them (`executor` events), in order.
    public private(set) var executors: [TraceEvent.ExecutorInfo] = []

    /// Each thread's slot, in the order threads first show up: its state
    /// and where its lane stands in `lanes`. An event costs one hash of its
    /// thread's name, not three.
    private var slotOf: [String: Int] = [:]
    private var slots: [ThreadSlot] = []

    private struct ThreadSlot: Sendable {
        var lane: Int
        var state: ThreadState
    }
    /// Worker → executor (Python's name), from `worker_started` or the
    /// future a worker started.
    private var executorOf: [String: String] = [:]
    private var executorOfFuture = FutureTable<String>()
    /// Stacked runs (`StackedRuns`: threads named `run/thread`), in the order they first show up.
    private var variants: [String: Int] = [:]
    private var workerOfFuture = FutureTable<String>()

    public init() {}

    public init(events: [TraceEvent]) {
        for event in events { apply(event) }
    }

    public func lane(_ thread: String) -> Lane? {
        slotOf[thread].map { lanes[slots[$0].lane] }
    }

    /// The scenario's name of an executor, from its Python name.
    public func executorName(_ python: String) -> String {
        executors.first { $0.executor == python }?.name ?? python
    }

    public func executorInfo(named name: String) -> TraceEvent.ExecutorInfo? {
        executors.first { $0.name == name || $0.executor == name }
    }

    /// The task `thread` runs now, if any.
    public func task(of thread: String) -> UInt64? { slotOf[thread].flatMap { slots[$0].state.task } }

    /// The wait `thread` is in now (the innermost), if any.
    public func openWait(of thread: String) -> TraceEvent.Wait? { slotOf[thread].flatMap { slots[$0].state.waits.last?.wait } }

    /// What `thread` is doing at the end of what the model has seen.
    public func now(of thread: String) -> Segment? {
        lane(thread)?.segments.last.flatMap { $0.end == nil ? $0 : nil }
    }

    public mutating func apply(_ event: TraceEvent) {
        let time = event.nanoseconds
        switch event.payload {
        case .executor(let info):
            executors.append(info)
            // Lanes already seen under its Python name take its scenario name.
            for (thread, executor) in executorOf where executor == info.executor { regroup(thread) }
        case .submitted(let future, let executor, _):
            executorOfFuture[future] = executor
            if let thread = event.thread { update(thread, at: time) { _ in } }
        case .workerStarted(let worker, let executor):
            executorOf[worker] = executor
            update(worker, at: time) { _ in }
            regroup(worker)
        case .started(let future, let worker):
            workerOfFuture[future] = worker
            if executorOf[worker] == nil, let executor = executorOfFuture[future] {
                executorOf[worker] = executor
                update(worker, at: time) { _ in }
                regroup(worker)
            }
            update(worker, at: time) { $0.task = future }
        case .returned(let future, _, _), .raised(let future, _, _):
            executorOfFuture[future] = nil
            guard let thread = workerOfFuture.removeValue(forKey: future) else { return }
            update(thread, at: time) { if $0.task == future { $0.task = nil } }
        case .gilTaken:
            guard let thread = event.thread else { return }
            update(thread, at: time) { $0.underGIL = true; $0.holdsGIL = true }
        case .gilDropped:
            guard let thread = event.thread else { return }
            update(thread, at: time) { $0.holdsGIL = false }
        case .waitBegan(let wait):
            guard let thread = event.thread else { return }
            update(thread, at: time) { $0.waits.append(OpenWait(wait: wait, deadlocked: false)) }
        case .waitEnded(let wait, let timedOut):
            guard let thread = event.thread else { return }
            update(thread, at: time) { state in
                if let index = state.waits.lastIndex(where: { $0.wait.kind == wait.kind && $0.wait.waitsFor == wait.waitsFor }) {
                    state.waits.remove(at: index)
                } else if !state.waits.isEmpty {
                    state.waits.removeLast()
                }
            }
            if wait.kind == .select, !timedOut { mark(thread, .wake, wait.object ?? wait.waitsFor, at: time) }
        case .deadlock(let deadlock):
            for blocked in deadlock.blocked { markDeadlocked(blocked.thread) }
        case .object(let change):
            guard let thread = event.thread else { return }
            let kind: Mark.Kind? = switch change.action {
            case "put": .put
            case "get": .get
            case "notify": .notify
            case "set": .set
            default: nil
            }
            if let kind { mark(thread, kind, change.name, at: time) }
        case .schedule, .ended, .aborted:
            break  // recorded after the run, from outside it: no thread's doing
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
        var task: UInt64?
        var underGIL = false
        var holdsGIL = false
        var waits: [OpenWait] = []

        /// What the thread is doing now.
        var now: (kind: SegmentKind, future: UInt64?, object: String?, task: UInt64?) {
            if let top = waits.last {
                if top.deadlocked { return (.deadlocked, top.wait.future ?? task, top.wait.object, task) }
                return (LaneModel.kind(of: top.wait), top.wait.future ?? task, top.wait.object, task)
            }
            guard let task else { return (.idle, nil, nil, nil) }
            return (underGIL && !holdsGIL ? .gilWait : .running, task, nil, task)
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
        case .condition: ObjectModel.queueSide(of: wait.object ?? "") != nil ? .queueWait : .lockWait
        case .select: .selectWait
        }
    }

    /// The thread's open wait is part of a deadlock: its segment, from the
    /// moment the wait began, becomes `deadlocked`.
    private mutating func markDeadlocked(_ thread: String) {
        guard let slot = slotOf[thread], !slots[slot].state.waits.isEmpty else { return }
        slots[slot].state.waits[slots[slot].state.waits.count - 1].deadlocked = true
        let index = slots[slot].lane
        if let last = lanes[index].segments.indices.last, lanes[index].segments[last].end == nil {
            lanes[index].segments[last].kind = .deadlocked
        }
    }

    private mutating func mark(_ thread: String, _ kind: Mark.Kind, _ object: String, at time: UInt64) {
        update(thread, at: time) { _ in }
        if let slot = slotOf[thread] { lanes[slots[slot].lane].marks.append(Mark(time: time, kind: kind, object: object)) }
    }

    /// Applies `change` to `thread`'s state at `time`, closing its current
    /// segment and opening the next when what it does changes.
    private mutating func update(_ thread: String, at time: UInt64, _ change: (inout ThreadState) -> Void) {
        let slot: Int
        if let known = slotOf[thread] {
            slot = known
        } else {
            slot = slots.count
            slotOf[thread] = slot
            slots.append(ThreadSlot(lane: 0, state: ThreadState()))
            _ = insertLane(thread)  // sets the slot's lane
        }
        let index = slots[slot].lane
        let before = slots[slot].state.now
        change(&slots[slot].state)
        let after = slots[slot].state.now
        var segments = lanes[index].segments
        lanes[index].segments = []  // edited in place, not copied
        defer {
            lanes[index].segments = segments
            lanes[index].summariseSettled()
        }
        if let last = segments.indices.last, segments[last].end == nil,
           before.kind == after.kind, before.future == after.future, before.object == after.object, before.task == after.task {
            return
        }
        if let last = segments.indices.last, segments[last].end == nil {
            if segments[last].start == time, segments[last].kind != .deadlocked {
                segments.removeLast()  // nothing happened in between: no empty segment
            } else {
                segments[last].end = time
            }
        }
        if let last = segments.last, last.end == time, last.kind == after.kind,
           last.future == after.future, last.object == after.object, last.task == after.task {
            segments[segments.count - 1].end = nil  // the same thing resumes: one segment
        } else {
            segments.append(Segment(start: time, end: nil, kind: after.kind, future: after.future, object: after.object, task: after.task))
        }
    }

    // MARK: - Order and groups

    private func group(of thread: String) -> String {
        if thread == "MainThread" { return "main" }
        let variant = Self.variant(of: thread)
        if let variant, thread == variant + "/MainThread" { return variant + "/main" }
        guard let executor = executorOf[thread] else { return variant.map { $0 + "/threads" } ?? "threads" }
        return executorName(executor)
    }

    /// The stacked run a thread belongs to (`with_map` of `with_map/MainThread`).
    static func variant(of thread: String) -> String? {
        guard let slash = thread.firstIndex(of: "/") else { return nil }
        return String(thread[..<slash])
    }

    private func order(of thread: String) -> LaneOrder {
        LaneOrder(thread: thread, executor: executorOf[thread].map { python in
            // Executors in the order the scenario declared them.
            executors.firstIndex { $0.executor == python }.map { "\($0)" } ?? python
        }, variant: Self.variant(of: thread).flatMap { variants[$0] } ?? 0)
    }

    private mutating func insertLane(_ thread: String) -> Int {
        if let variant = Self.variant(of: thread), variants[variant] == nil { variants[variant] = variants.count }
        let order = order(of: thread)
        let index = lanes.firstIndex { order.precedes(self.order(of: $0.thread)) } ?? lanes.count
        lanes.insert(Lane(thread: thread, group: group(of: thread)), at: index)
        reindex(from: index)
        return index
    }

    /// A thread's executor became known: its group and place change.
    private mutating func regroup(_ thread: String) {
        guard let slot = slotOf[thread] else { return }
        let index = slots[slot].lane
        var lane = lanes.remove(at: index)
        lane.group = group(of: thread)
        let order = order(of: thread)
        let target = lanes.firstIndex { order.precedes(self.order(of: $0.thread)) } ?? lanes.count
        lanes.insert(lane, at: target)
        reindex(from: min(index, target))
    }

    private mutating func reindex(from start: Int) {
        for index in start..<lanes.count { slots[slotOf[lanes[index].thread]!].lane = index }
    }
}
