import FuturesTraceSchema

/// The run's named synchronisation objects as the trace shows them: who
/// holds each lock, each semaphore's counter, each event's flag, each
/// queue's depth over time, who waits on what, and every change in time
/// order — what the objects pane, its detail and the JSON `objects` show.
public struct ObjectModel: Sendable {
    public struct Change: Sendable, Equatable {
        public var time: UInt64
        public var thread: String?
        /// `created`, `put`, `get`, `acquire`, `release`, `set`, `clear`,
        /// `notify`, `wait`, `woken`.
        public var action: String
        public var value: Int?
    }

    public struct Waiter: Sendable, Equatable {
        public var thread: String
        /// A queue's side: `get` (waits for an item), `put` (for room), `join`.
        public var side: String?
    }

    public struct DepthSample: Sendable, Equatable {
        public var time: UInt64
        public var depth: Int
    }

    public struct Object: Sendable, Equatable {
        public var name: String
        /// The scenario's kind: `lock`, `rlock`, `semaphore`, `event`,
        /// `condition`, `queue`, `pollable_queue`, `actor`, …
        public var kind: String
        /// A lock's holder (an RLock's too).
        public var holder: String?
        /// An RLock's hold count.
        public var holdCount: Int?
        /// A semaphore's counter, an event's flag (0 / 1), a queue's depth.
        public var value: Int?
        /// A queue's maxsize (0: unbounded), a bounded semaphore's bound.
        public var limit: Int?
        public var waiters: [Waiter] = []
        /// A queue's (or mailbox's) depth after each change.
        public var depth: [DepthSample] = []
        public var history: [Change] = []

        /// Whether it holds items (queues, mailboxes): a pollable queue is
        /// readable then.
        public var isQueue: Bool { ["queue", "priority_queue", "pollable_queue", "actor", "tagged_actor", "socket"].contains(kind) }
        /// A pollable queue or a socket: whether `select` would find it readable.
        public var readable: Bool? { kind == "pollable_queue" || kind == "socket" ? (value ?? 0) > 0 : nil }
        /// The most items it held at once.
        public var maxDepth: Int { depth.map(\.depth).max() ?? 0 }

        /// Its state in a few words, as the objects pane and the report say
        /// it: `held by philosopher-1`, `value 2 of 3`, `depth 3 of 5 · readable`.
        public var state: String {
            switch kind {
            case "lock": return holder.map { "held by \($0)" } ?? "free"
            case "rlock": return holder.map { "held by \($0) ×\(holdCount ?? 1)" } ?? "free"
            case "semaphore", "bounded_semaphore": return "value \(value ?? 0)" + (limit.map { " of \($0)" } ?? "")
            case "event": return value == 1 ? "set" : "clear"
            case "condition": return waiters.isEmpty ? "nobody waiting" : "\(waiters.count) waiting"
            case "actor", "tagged_actor": return "mailbox \(value ?? 0)"
            case "socket": return "\(value ?? 0) datagram\(value == 1 ? "" : "s") waiting" + (readable == true ? " · readable" : " · not readable")
            case "worker_actor": return "runs calls on its own thread"
            default:
                guard isQueue else { return kind }
                var text = "depth \(value ?? 0)" + ((limit ?? 0) > 0 ? " of \(limit!)" : "")
                if let readable { text += readable ? " · readable" : " · not readable" }
                return text
            }
        }

        /// Who waits on it: `waiting: consumer-1 (get), consumer-2 (get)`.
        public var waitersText: String? {
            guard !waiters.isEmpty else { return nil }
            return "waiting: " + waiters.map { waiter in waiter.side.map { "\(waiter.thread) (\($0))" } ?? waiter.thread }
                .joined(separator: ", ")
        }
    }

    public private(set) var objects: [Object] = []
    private var index: [String: Int] = [:]

    public init() {}

    public func object(_ name: String) -> Object? {
        index[name].map { objects[$0] }
    }

    /// The locks `thread` holds now.
    public func held(by thread: String) -> [String] {
        objects.filter { $0.holder == thread }.map(\.name)
    }

    public mutating func apply(_ event: TraceEvent) {
        let time = event.nanoseconds
        let thread = event.thread
        switch event.payload {
        case .object(let change):
            let at = indexOf(change.name, kind: change.kind)
            if change.action == "created" {
                objects[at].kind = change.kind
                objects[at].limit = change.limit
            }
            if change.kind == "rlock" {
                objects[at].holdCount = change.value
            } else if let value = change.value {
                objects[at].value = value
            }
            if objects[at].isQueue, let value = change.value { objects[at].depth.append(DepthSample(time: time, depth: value)) }
            objects[at].history.append(Change(time: time, thread: thread, action: change.action, value: change.value))
        case .lockAcquired(let name):
            let at = indexOf(name, kind: "lock")
            objects[at].holder = thread
            objects[at].history.append(Change(time: time, thread: thread, action: "acquire", value: nil))
        case .lockReleased(let name):
            let at = indexOf(name, kind: "lock")
            objects[at].holder = nil
            objects[at].history.append(Change(time: time, thread: thread, action: "release", value: nil))
        case .waitBegan(let wait):
            guard let thread, let (at, side) = waited(wait) else { return }
            objects[at].waiters.append(Waiter(thread: thread, side: side))
            objects[at].history.append(Change(time: time, thread: thread, action: side.map { "wait (\($0))" } ?? "wait", value: nil))
        case .waitEnded(let wait, let timedOut):
            guard let thread, let (at, _) = waited(wait) else { return }
            if let waiter = objects[at].waiters.firstIndex(where: { $0.thread == thread }) { objects[at].waiters.remove(at: waiter) }
            objects[at].history.append(Change(time: time, thread: thread, action: timedOut ? "timed out" : "woken", value: nil))
        default:
            break
        }
    }

    /// The object a wait is on, and the side of a queue it waits at. Queue
    /// waits name one of the queue's conditions (`q (not empty)`); an
    /// actor's, its mailbox's (`a mailbox (not empty)`).
    private func waited(_ wait: TraceEvent.Wait) -> (Int, String?)? {
        guard let name = wait.object else { return nil }
        if let (queue, side) = Self.queueSide(of: name) {
            let owner = queue.hasSuffix(" mailbox") ? String(queue.dropLast(" mailbox".count)) : queue
            return (index[owner] ?? index[queue]).map { ($0, side) }
        }
        return index[name].map { ($0, nil) }
    }

    /// `q (not empty)` → (`q`, `get`); `q (not full)` → (`q`, `put`);
    /// `q (all tasks done)` → (`q`, `join`); anything else → nil.
    public static func queueSide(of condition: String) -> (queue: String, side: String)? {
        for (suffix, side) in [(" (not empty)", "get"), (" (not full)", "put"), (" (all tasks done)", "join")]
        where condition.hasSuffix(suffix) {
            return (String(condition.dropLast(suffix.count)), side)
        }
        return nil
    }

    private mutating func indexOf(_ name: String, kind: String) -> Int {
        if let at = index[name] { return at }
        index[name] = objects.count
        objects.append(Object(name: name, kind: kind))
        return objects.count - 1
    }
}
