/// One event line of a trace file: when, in what order, on which thread, and
/// what happened — a typed payload per kind (docs/trace-format.md lists them).
public struct TraceEvent: Sendable, Equatable {
    /// 1, 2, 3, … in the order the events happened.
    public var seq: Int
    /// Nanoseconds since the run began, on the run's clock (virtual or wall).
    public var nanoseconds: UInt64
    /// The thread that did what the event records.
    public var thread: String?
    public var payload: Payload

    public init(seq: Int, nanoseconds: UInt64, thread: String? = nil, _ payload: Payload) {
        self.seq = seq
        self.nanoseconds = nanoseconds
        self.thread = thread
        self.payload = payload
    }

    /// Seconds since the run began.
    public var t: Double { Double(nanoseconds) / 1e9 }

    public var kind: Kind { payload.kind }

    /// What happened. The cases that carry a struct are `indirect` (boxed):
    /// every event is as large as the largest inline case, and a long
    /// trace's events then take half the memory.
    public enum Payload: Sendable, Equatable {
        /// A future was created by `submit` (label: how the caller named the call).
        case submitted(future: UInt64, executor: String, label: String?)
        /// A worker took the future and runs its call.
        case started(future: UInt64, worker: String)
        /// The call returned: its result in words and its type.
        case returned(future: UInt64, result: String, type: String?)
        /// The call threw, or the executor failed the future.
        case raised(future: UInt64, exception: String, type: String?)
        /// `cancel()` succeeded on a pending future.
        case cancelled(future: UInt64)
        /// A worker saw the cancelled future and skipped it.
        case cancelNotified(future: UInt64)
        /// A worker thread of `executor` began or ended.
        case workerStarted(worker: String, executor: String)
        case workerExited(worker: String, executor: String)
        /// `shutdown(wait:cancelFutures:)` was called.
        case shutdown(executor: String, wait: Bool, cancelFutures: Bool)
        /// The executor became unusable.
        case broken(executor: String, reason: String)
        /// The thread began or ended a blocking wait.
        indirect case waitBegan(Wait)
        indirect case waitEnded(Wait, timedOut: Bool)
        /// The runtime found a deadlock and released the blocked calls.
        indirect case deadlock(Deadlock)
        /// A line of the run's log (`info`, `error`, …).
        case log(level: String, message: String)
        /// Classroom narration, as the program reaches it.
        case note(String)
        /// A number the scenario measured.
        case measurement(name: String, value: Double)
        /// A scenario's expectation, checked after its run.
        case expectation(text: String, passed: Bool)
        /// The thread took, or dropped, the GIL of `process`.
        case gilTaken(process: String)
        case gilDropped(process: String)
        /// The thread took, or let go of, the lock `name`.
        case lockAcquired(name: String)
        case lockReleased(name: String)
        /// A scenario's executor came to be: its Python name (`executor`,
        /// `ThreadPoolExecutor-1`), the scenario's name for it, its kind,
        /// size and whether its threads share a GIL.
        indirect case executor(ExecutorInfo)
        /// A named object changed: a queue's put or get (`value`: its depth
        /// after), a semaphore's acquire or release (its counter after), an
        /// event's set or clear, a condition's notify (how many woke), an
        /// RLock's acquire or release (its hold count after), or the object's
        /// creation (`value`: its initial counter, `limit`: maxsize or bound).
        indirect case object(ObjectChange)
        /// The program reached an `ask` step: the question, its choices, the
        /// run's answer (or why it could not be computed), the explanation.
        indirect case question(Question)
        /// The deterministic run's scheduling choices, at its end: at each
        /// scheduling point how many threads were runnable (`runnable`) and
        /// which one ran (`picks`: its place in the run queue).
        indirect case schedule(picks: [Int], runnable: [Int])
        /// The run ended: the program came back and its expectations were
        /// checked. A trace without it (nor `aborted`) was cut short.
        case ended
        /// The run was stopped by a signal (`SIGTERM`, `SIGINT`, `SIGHUP`)
        /// before it ended; the events before it are all there.
        case aborted(signal: String)

        public var kind: Kind {
            switch self {
            case .submitted: .submitted
            case .started: .started
            case .returned: .returned
            case .raised: .raised
            case .cancelled: .cancelled
            case .cancelNotified: .cancelNotified
            case .workerStarted: .workerStarted
            case .workerExited: .workerExited
            case .shutdown: .shutdown
            case .broken: .broken
            case .waitBegan: .waitBegan
            case .waitEnded: .waitEnded
            case .deadlock: .deadlock
            case .log: .log
            case .note: .note
            case .measurement: .measurement
            case .expectation: .expectation
            case .gilTaken: .gilTaken
            case .gilDropped: .gilDropped
            case .lockAcquired: .lockAcquired
            case .lockReleased: .lockReleased
            case .executor: .executor
            case .object: .object
            case .question: .question
            case .schedule: .schedule
            case .ended: .ended
            case .aborted: .aborted
            }
        }
    }

    /// The kinds of event, as a line's `kind` names them.
    public enum Kind: String, Sendable, CaseIterable {
        case submitted, started, returned, raised, cancelled
        case cancelNotified = "cancel_notified"
        case workerStarted = "worker_started"
        case workerExited = "worker_exited"
        case shutdown, broken
        case waitBegan = "wait_began"
        case waitEnded = "wait_ended"
        case deadlock, log
        case note, measurement, expectation
        case gilTaken = "gil_taken"
        case gilDropped = "gil_dropped"
        case lockAcquired = "lock_acquired"
        case lockReleased = "lock_released"
        case executor, object, question, schedule
        case ended, aborted
    }

    /// A question the run answers (`ask`).
    public struct Question: Sendable, Equatable {
        public var text: String
        /// Numbered answers to pick from; empty: an open question.
        public var choices: [String]
        /// The run's answer, as Python's `str()` prints it.
        public var answer: String
        public var explain: String?
        /// The dashboard asks it before the run plays (`ask_at: start`).
        public var atStart: Bool

        public init(text: String, choices: [String] = [], answer: String, explain: String? = nil, atStart: Bool = false) {
            self.text = text
            self.choices = choices
            self.answer = answer
            self.explain = explain
            self.atStart = atStart
        }

        /// The choice (1-based) that equals the answer, if any.
        public var rightChoice: Int? {
            choices.firstIndex(of: answer).map { $0 + 1 }
        }
    }

    /// An executor as the scenario declared it.
    public struct ExecutorInfo: Sendable, Equatable {
        /// Python's name (`ThreadPoolExecutor-1`): the `executor` of its
        /// futures and workers.
        public var executor: String
        /// The scenario's name (`gil_threads_2`).
        public var name: String
        /// `thread` or `process`.
        public var kind: String
        public var maxWorkers: Int
        public var gil: Bool

        public init(executor: String, name: String, kind: String, maxWorkers: Int, gil: Bool) {
            self.executor = executor
            self.name = name
            self.kind = kind
            self.maxWorkers = maxWorkers
            self.gil = gil
        }
    }

    /// A change to a named synchronisation object.
    public struct ObjectChange: Sendable, Equatable {
        public var name: String
        /// The scenario's kind of object: `queue`, `semaphore`, `event`, …
        public var kind: String
        /// `created`, `put`, `get`, `acquire`, `release`, `set`, `clear`, `notify`.
        public var action: String
        public var value: Int?
        public var limit: Int?

        public init(name: String, kind: String, action: String, value: Int? = nil, limit: Int? = nil) {
            self.name = name
            self.kind = kind
            self.action = action
            self.value = value
            self.limit = limit
        }
    }

    /// A wait as a trace records it: its kind, in words, and what it names.
    public struct Wait: Sendable, Equatable {
        public var kind: WaitKind
        /// What it waits for, in words ("future 3", "lock c1, held by philosopher-1").
        public var waitsFor: String
        /// The future (`result()`), or the futures (`wait`, `as_completed`).
        public var future: UInt64?
        public var futures: [UInt64]?
        /// The executor whose work an idle worker waits for.
        public var executor: String?
        /// The lock or primitive waited on, by name.
        public var object: String?

        public init(kind: WaitKind, waitsFor: String, future: UInt64? = nil, futures: [UInt64]? = nil,
                    executor: String? = nil, object: String? = nil) {
            self.kind = kind
            self.waitsFor = waitsFor
            self.future = future
            self.futures = futures
            self.executor = executor
            self.object = object
        }

        public init(_ reason: WaitReason) {
            self.init(kind: reason.kind, waitsFor: reason.description)
            switch reason {
            case .future(let id): future = id
            case .futures(let ids, _): futures = ids
            case .work(let name): executor = name
            case .lock(let name, _), .primitive(_, let name, _): object = name
            case .thread, .sleep, .io, .gil, .other: break
            }
        }

        /// The futures it waits on, one or many.
        public var waitedFutures: [UInt64] { (future.map { [$0] } ?? []) + (futures ?? []) }
    }

    /// A deadlock as a trace records it.
    public struct Deadlock: Sendable, Equatable {
        public var kind: DeadlockReport.Kind
        /// The report in words (several lines).
        public var message: String
        public var cycle: [String]
        public var blocked: [BlockedWait]

        public init(kind: DeadlockReport.Kind, message: String, cycle: [String], blocked: [BlockedWait]) {
            self.kind = kind
            self.message = message
            self.cycle = cycle
            self.blocked = blocked
        }

        public init(_ report: DeadlockReport) {
            self.init(kind: report.kind, message: report.description, cycle: report.cycle,
                      blocked: report.blocked.map { BlockedWait(thread: $0.name, waitsFor: $0.waitsFor) })
        }
    }

    public struct BlockedWait: Sendable, Equatable {
        public var thread: String
        public var waitsFor: String

        public init(thread: String, waitsFor: String) {
            self.thread = thread
            self.waitsFor = waitsFor
        }
    }
}

extension TraceEvent {
    /// The future the event is about, if it is about one.
    public var future: UInt64? {
        switch payload {
        case .submitted(let id, _, _), .started(let id, _), .returned(let id, _, _), .raised(let id, _, _),
             .cancelled(let id), .cancelNotified(let id):
            id
        case .waitBegan(let wait), .waitEnded(let wait, _):
            wait.future
        default:
            nil
        }
    }
}
