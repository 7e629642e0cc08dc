import FuturesTraceSchema

/// What a run did, built from its trace events alone — the same for a live
/// run and a replay. Reports, the summary and the dashboard read this.
public struct RunModel: Sendable {
    public enum FutureState: String, Sendable {
        case pending, running, finished, raised, cancelled
    }

    public struct FutureRow: Sendable, Equatable {
        public var id: UInt64
        public var label: String
        public var executor: String?
        public var state: FutureState
        public var worker: String?
        public var submitted: UInt64?
        public var started: UInt64?
        public var finished: UInt64?
        public var result: String?
        public var exception: String?
        /// The result's or the error's type.
        public var type: String?
    }

    /// A stretch of time on one thread's lane.
    public struct Block: Sendable, Equatable {
        public enum Kind: String, Sendable { case task, wait, sleep, gil, hold }
        public var kind: Kind
        public var start: UInt64
        /// nil while it lasts.
        public var end: UInt64?
        public var label: String
        public var future: UInt64?
    }

    public struct Lane: Sendable, Equatable {
        public var thread: String
        public var blocks: [Block] = []
    }

    public struct LogLine: Sendable, Equatable {
        public var time: UInt64
        public var thread: String?
        public var level: String
        public var message: String
    }

    public struct Deadlock: Sendable, Equatable {
        public var time: UInt64
        public var kind: DeadlockReport.Kind
        public var cycle: [String]
        public var blocked: [TraceEvent.BlockedWait]
        public var message: String
    }

    public var header: TraceHeader?
    public private(set) var futures: [FutureRow] = []
    public private(set) var lanes: [Lane] = []
    /// Log lines and narration notes (level `note`), in order.
    public private(set) var log: [LogLine] = []
    public private(set) var notes: [(time: UInt64, text: String)] = []
    public private(set) var deadlocks: [Deadlock] = []
    public private(set) var measurements: [(name: String, value: Double)] = []
    public private(set) var expectations: [(text: String, passed: Bool)] = []
    /// Future ids in the order they finished (returned, raised or cancelled).
    public private(set) var completionOrder: [UInt64] = []
    public private(set) var startOrder: [UInt64] = []
    /// The time of the last event.
    public private(set) var endTime: UInt64 = 0
    /// Threads waiting right now on each future (`result()`, `wait`, …).
    public private(set) var waiters: [UInt64: [String]] = [:]
    /// The executor of each worker thread.
    public private(set) var workerExecutors: [String: String] = [:]
    public private(set) var eventCount = 0

    /// How many futures are in each state now (kept as events apply, so
    /// that a frame need not count ten thousand rows).
    public private(set) var stateCounts: [FutureState: Int] = [:]
    /// The longest label and worker name so far (table column widths).
    public private(set) var longestLabel = 0
    public private(set) var longestWorker = 0

    private var rowIndex: [UInt64: Int] = [:]

    public init(header: TraceHeader? = nil) {
        self.header = header
    }

    public init(header: TraceHeader?, events: [TraceEvent]) {
        self.init(header: header)
        for event in events { apply(event) }
    }

    public func future(_ id: UInt64) -> FutureRow? {
        rowIndex[id].map { futures[$0] }
    }

    public func label(of id: UInt64) -> String {
        future(id)?.label ?? "future \(id)"
    }

    // MARK: - Applying events

    public mutating func apply(_ event: TraceEvent) {
        eventCount += 1
        endTime = max(endTime, event.nanoseconds)
        let time = event.nanoseconds
        switch event.payload {
        case .submitted(let id, let executor, let label):
            rowIndex[id] = futures.count
            let label = label ?? "future \(id)"
            futures.append(FutureRow(id: id, label: label, executor: executor, state: .pending, submitted: time))
            stateCounts[.pending, default: 0] += 1
            longestLabel = max(longestLabel, label.count)
            if let thread = event.thread { _ = laneIndex(thread) }
        case .started(let id, let worker):
            update(id) { $0.state = .running; $0.worker = worker; $0.started = time }
            longestWorker = max(longestWorker, worker.count)
            startOrder.append(id)
            let lane = laneIndex(worker)
            lanes[lane].blocks.append(Block(kind: .task, start: time, end: nil, label: label(of: id), future: id))
        case .returned(let id, let result, let type):
            finish(id, at: time) { $0.state = .finished; $0.result = result; $0.type = type }
        case .raised(let id, let exception, let type):
            finish(id, at: time) { $0.state = .raised; $0.exception = exception; $0.type = type }
        case .cancelled(let id):
            update(id) { $0.state = .cancelled; $0.finished = time }
            completionOrder.append(id)
        case .workerStarted(let worker, let executor):
            workerExecutors[worker] = executor
            _ = laneIndex(worker)
        case .waitBegan(let wait):
            guard let thread = event.thread, wait.kind != .work else { return }
            let lane = laneIndex(thread)
            let kind: Block.Kind = wait.kind.isTimed ? .sleep : wait.kind == .gil ? .gil : .wait
            lanes[lane].blocks.append(Block(kind: kind, start: time, end: nil, label: wait.waitsFor, future: wait.future))
            for id in wait.waitedFutures { waiters[id, default: []].append(thread) }
        case .waitEnded(let wait, _):
            guard let thread = event.thread, wait.kind != .work, let lane = lanes.firstIndex(where: { $0.thread == thread }),
                  let block = lanes[lane].blocks.lastIndex(where: { $0.kind != .task && $0.kind != .hold && $0.end == nil }) else { return }
            lanes[lane].blocks[block].end = time
            for id in wait.waitedFutures {
                if let index = waiters[id]?.firstIndex(of: thread) { waiters[id]?.remove(at: index) }
                if waiters[id]?.isEmpty == true { waiters[id] = nil }
            }
        case .deadlock(let deadlock):
            deadlocks.append(Deadlock(time: time, kind: deadlock.kind, cycle: deadlock.cycle,
                                      blocked: deadlock.blocked, message: deadlock.message))
        case .log(let level, let message):
            log.append(LogLine(time: time, thread: event.thread, level: level, message: message))
        case .note(let text):
            notes.append((time, text))
            log.append(LogLine(time: time, thread: event.thread, level: "note", message: text))
        case .measurement(let name, let value):
            measurements.append((name, value))
        case .expectation(let text, let passed):
            expectations.append((text, passed))
        case .lockAcquired(let name):
            guard let thread = event.thread else { return }
            let lane = laneIndex(thread)
            lanes[lane].blocks.append(Block(kind: .hold, start: time, end: nil, label: name, future: nil))
        case .lockReleased(let name):
            guard let thread = event.thread, let lane = lanes.firstIndex(where: { $0.thread == thread }),
                  let block = lanes[lane].blocks.lastIndex(where: { $0.kind == .hold && $0.label == name && $0.end == nil }) else { return }
            lanes[lane].blocks[block].end = time
        case .cancelNotified, .workerExited, .shutdown, .broken, .gilTaken, .gilDropped:
            break
        }
    }

    /// A future returned or raised: its row, the order, and its task block's end.
    private mutating func finish(_ id: UInt64, at time: UInt64, _ change: (inout FutureRow) -> Void) {
        update(id) {
            change(&$0)
            $0.finished = time
        }
        completionOrder.append(id)
        if let worker = future(id)?.worker, let lane = lanes.firstIndex(where: { $0.thread == worker }),
           let block = lanes[lane].blocks.lastIndex(where: { $0.future == id && $0.end == nil }) {
            lanes[lane].blocks[block].end = time
        }
    }

    /// What `thread` is doing at the end of what the model has seen: the
    /// innermost open block (a wait inside a task shows the wait), or nil
    /// when it is idle.
    public func activity(of thread: String) -> Block? {
        guard let lane = lanes.first(where: { $0.thread == thread }) else { return nil }
        let open = lane.blocks.suffix(8).filter { $0.end == nil }
        return open.last { $0.kind != .task } ?? open.last
    }

    /// Where to start looking for the blocks of `lane` that overlap a window
    /// beginning at `from`. Blocks are appended in start order, and on one
    /// thread they nest at most two deep (a wait inside a task), so the ones
    /// that began earlier and still reach `from` are among the few just before
    /// the first block starting at `from`: a binary search, then a short step
    /// back.
    public func firstBlock(in lane: Lane, endingAfter from: UInt64) -> Int {
        var low = 0, high = lane.blocks.count
        while low < high {
            let middle = (low + high) / 2
            if lane.blocks[middle].start < from { low = middle + 1 } else { high = middle }
        }
        return max(0, low - 8)
    }

    private mutating func update(_ id: UInt64, _ change: (inout FutureRow) -> Void) {
        guard let index = rowIndex[id] else { return }
        let before = futures[index].state
        change(&futures[index])
        let after = futures[index].state
        if before != after {
            stateCounts[before, default: 0] -= 1
            stateCounts[after, default: 0] += 1
        }
    }

    /// Lanes in `LaneOrder`, whatever order threads first show up in.
    private mutating func laneIndex(_ thread: String) -> Int {
        if let index = lanes.firstIndex(where: { $0.thread == thread }) { return index }
        let order = LaneOrder(thread: thread, executor: workerExecutors[thread])
        let index = lanes.firstIndex { order.precedes(LaneOrder(thread: $0.thread, executor: workerExecutors[$0.thread])) } ?? lanes.count
        lanes.insert(Lane(thread: thread), at: index)
        return index
    }
}
