import FuturesTraceSchema

/// What a run did, built from its trace events alone — the same for a live
/// run and a replay. Reports, the summary and the dashboard read this.
public struct RunModel: Sendable {
    public enum FutureState: String, Sendable, CaseIterable {
        case pending, running, finished, raised, cancelled

        var position: Int {
            switch self {
            case .pending: 0
            case .running: 1
            case .finished: 2
            case .raised: 3
            case .cancelled: 4
            }
        }
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
        /// The deadlock in sentences: the cycle as one ("philosopher-0
        /// holds c0 and waits for c1, held by philosopher-1, which …"),
        /// then each other blocked thread.
        public var explanation: [String]
        /// The blocked threads whose wait has ended since (released with
        /// DeadlockError), in order, and when the last of them was.
        public var released: [String] = []
        public var releasedAt: UInt64?
    }

    public var header: TraceHeader?
    public private(set) var futures: [FutureRow] = []
    /// What each thread did, segment by segment: what every timeline draws.
    public private(set) var laneModel = LaneModel()
    /// The named locks, semaphores, events, conditions, queues and actors.
    public private(set) var objects = ObjectModel()
    /// Log lines and narration notes (level `note`), in order.
    public private(set) var log: [LogLine] = []
    public private(set) var notes: [(time: UInt64, text: String)] = []
    public private(set) var deadlocks: [Deadlock] = []
    public private(set) var measurements: [(name: String, value: Double)] = []
    public private(set) var expectations: [(text: String, passed: Bool)] = []
    /// The questions the run reached (`ask`), with their answers, in order.
    public private(set) var questions: [(time: UInt64, question: TraceEvent.Question)] = []
    /// Future ids in the order they finished (returned, raised or cancelled).
    public private(set) var completionOrder: [UInt64] = []
    public private(set) var startOrder: [UInt64] = []
    /// The time of the last event.
    public private(set) var endTime: UInt64 = 0
    /// How the trace says the run ended: `ended`, `aborted` by a signal, or
    /// neither (a run still going, a trace cut short, or one made before
    /// traces said so).
    public private(set) var ending: Ending?

    public enum Ending: Sendable, Equatable {
        case ended
        case aborted(signal: String, at: UInt64)
    }
    /// Threads waiting right now on each future (`result()`, `wait`, …).
    public private(set) var waiters: [UInt64: [String]] = [:]
    /// The executor of each worker thread.
    public private(set) var workerExecutors: [String: String] = [:]
    public private(set) var eventCount = 0

    /// How many futures are in each state now (kept as events apply, so
    /// that a frame need not count ten thousand rows).
    public var stateCounts: [FutureState: Int] {
        Dictionary(uniqueKeysWithValues: FutureState.allCases.map { ($0, countsByState[$0.position]) })
    }
    /// How many futures are in `state` now.
    public func count(of state: FutureState) -> Int { countsByState[state.position] }
    /// By `FutureState.position` (an array: a dictionary hashed the state
    /// at every event).
    private var countsByState = [Int](repeating: 0, count: FutureState.allCases.count)
    /// The longest label and worker name so far (table column widths).
    public private(set) var longestLabel = 0
    public private(set) var longestWorker = 0

    private var rowIndex = FutureTable<Int>()

    public init(header: TraceHeader? = nil) {
        self.header = header
    }

    public init(header: TraceHeader?, events: [TraceEvent]) {
        self.init(header: header)
        for event in events { apply(event) }
    }

    /// The lanes, in `LaneOrder`.
    public var lanes: [LaneModel.Lane] { laneModel.lanes }

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
        if case .deadlock(let deadlock) = event.payload {
            deadlocks.append(Deadlock(time: time, kind: deadlock.kind, cycle: deadlock.cycle, blocked: deadlock.blocked,
                                      message: deadlock.message, explanation: explanation(of: deadlock)))
        }
        if case .waitEnded = event.payload, let thread = event.thread, let last = deadlocks.indices.last,
           deadlocks[last].blocked.contains(where: { $0.thread == thread }), !deadlocks[last].released.contains(thread) {
            deadlocks[last].released.append(thread)
            deadlocks[last].releasedAt = time
        }
        laneModel.apply(event)
        objects.apply(event)
        switch event.payload {
        case .submitted(let id, let executor, let label):
            rowIndex[id] = futures.count
            let label = label ?? "future \(id)"
            futures.append(FutureRow(id: id, label: label, executor: executor, state: .pending, submitted: time))
            countsByState[FutureState.pending.position] += 1
            // A Character count walks the text; only a longer one can be longer.
            if label.utf8.count > longestLabel { longestLabel = max(longestLabel, label.count) }
        case .started(let id, let worker):
            update(id) { $0.state = .running; $0.worker = worker; $0.started = time }
            if worker.utf8.count > longestWorker { longestWorker = max(longestWorker, worker.count) }
            startOrder.append(id)
        case .returned(let id, let result, let type):
            finish(id, at: time) { $0.state = .finished; $0.result = result; $0.type = type }
        case .raised(let id, let exception, let type):
            finish(id, at: time) { $0.state = .raised; $0.exception = exception; $0.type = type }
        case .cancelled(let id):
            update(id) { $0.state = .cancelled; $0.finished = time }
            completionOrder.append(id)
        case .workerStarted(let worker, let executor):
            workerExecutors[worker] = executor
        case .waitBegan(let wait):
            guard let thread = event.thread else { return }
            for id in wait.waitedFutures { waiters[id, default: []].append(thread) }
        case .waitEnded(let wait, _):
            guard let thread = event.thread else { return }
            for id in wait.waitedFutures {
                if let index = waiters[id]?.firstIndex(of: thread) { waiters[id]?.remove(at: index) }
                if waiters[id]?.isEmpty == true { waiters[id] = nil }
            }
        case .log(let level, let message):
            log.append(LogLine(time: time, thread: event.thread, level: level, message: message))
        case .note(let text):
            notes.append((time, text))
            log.append(LogLine(time: time, thread: event.thread, level: "note", message: text))
        case .measurement(let name, let value):
            measurements.append((name, value))
        case .expectation(let text, let passed):
            expectations.append((text, passed))
        case .question(let question):
            questions.append((time, question))
        case .ended:
            ending = .ended
        case .aborted(let signal):
            ending = .aborted(signal: signal, at: time)
        case .cancelNotified, .workerExited, .shutdown, .broken, .gilTaken, .gilDropped, .lockAcquired, .lockReleased,
             .executor, .object, .deadlock, .schedule:
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
    }

    private mutating func update(_ id: UInt64, _ change: (inout FutureRow) -> Void) {
        guard let index = rowIndex[id] else { return }
        let before = futures[index].state
        change(&futures[index])
        let after = futures[index].state
        if before != after {
            countsByState[before.position] -= 1
            countsByState[after.position] += 1
        }
    }
}

extension RunModel {
    /// An error as Python's traceback ends: `ValueError: boom`, or just the
    /// type when there is no message — never the type twice (an error that
    /// describes itself as `BrokenProcessPool: …` already names it).
    public static func errorLine(type: String?, exception: String?) -> String {
        let type = type ?? "Error"
        let message = exception ?? ""
        if message.isEmpty || message == type { return type }
        if message.hasPrefix(type + ": ") { return message }
        return type + ": " + message
    }
}
