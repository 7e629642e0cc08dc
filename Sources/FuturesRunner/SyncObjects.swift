import Foundation
import Synchronization
import FuturesCore
import FuturesNet
import FuturesScenario
import FuturesSync
import FuturesTrace

/// A scenario's synchronisation objects and the threads it started.
final class SyncObjects: @unchecked Sendable {
    // @unchecked: `objects`, `senderSocket` and `defaultDownloads` are set before main runs and only read after;
    // `threads` and `threadCount` are guarded by their lock.
    private var objects: [String: AnyObject] = [:]
    private let threads = Locked<[String: ScenarioThread]>([:])
    private let threadCount = Counter(startingAt: 1)
    private let downloads = Locked<String?>(nil)
    /// Made with the first socket object; only read after.
    private var senderSocket: DatagramSocket?

    /// Makes every object; actors and servers through `made`, which gives
    /// actors their task's body and servers their executor.
    func make(_ specs: [ObjectSpec], made: (ObjectSpec) throws -> AnyObject) throws {
        for spec in specs where spec.kind == .lock { objects[spec.name] = Lock(name: spec.name) }
        for spec in specs {
            switch spec.kind {
            case .lock: break
            case .rlock: objects[spec.name] = RLock(name: spec.name)
            case .event: objects[spec.name] = Event(name: spec.name)
            case .condition:
                objects[spec.name] = Condition(lock: spec.lock.flatMap { objects[$0] as? Lock }, name: spec.name)
            case .semaphore, .boundedSemaphore:
                objects[spec.name] = try FuturesSync.Semaphore(spec.value, bounded: spec.kind == .boundedSemaphore, name: spec.name)
            case .queue: objects[spec.name] = Queue<Value>(maxsize: spec.maxsize, name: spec.name)
            case .priorityQueue: objects[spec.name] = Queue<PriorityItem>.priority(maxsize: spec.maxsize, name: spec.name)
            case .threadLocal: objects[spec.name] = ThreadLocal<Value>()
            case .pollableQueue: objects[spec.name] = try PollableQueue<Value>(maxsize: spec.maxsize, name: spec.name)
            case .socket:
                objects[spec.name] = try DatagramSocket(name: spec.name)
                if senderSocket == nil { senderSocket = try DatagramSocket(name: "sender") }
            case .actor, .taggedActor, .httpServer, .echoServer: objects[spec.name] = try made(spec)
            case .workerActor: objects[spec.name] = WorkerActor(name: spec.name)
            case .exchange: objects[spec.name] = Exchange<Value>(name: spec.name)
            case .actorScheduler: objects[spec.name] = ActorScheduler<Value>()
            }
            traceCreated(spec)
        }
    }

    /// Tells the trace of each object the views show (the objects pane): its
    /// kind, initial counter and bound.
    private func traceCreated(_ spec: ObjectSpec) {
        let value: Int?, limit: Int?
        switch spec.kind {
        case .lock, .rlock, .event, .condition, .actor, .taggedActor, .workerActor: (value, limit) = (nil, nil)
        case .socket: (value, limit) = (0, nil)
        case .semaphore: (value, limit) = (spec.value, nil)
        case .boundedSemaphore: (value, limit) = (spec.value, spec.value)
        case .queue, .priorityQueue, .pollableQueue: (value, limit) = (0, spec.maxsize)
        case .threadLocal, .httpServer, .echoServer, .exchange, .actorScheduler: return
        }
        ThreadContext.current.trace?.record(.object(spec.name, kind: spec.kind.rawValue, action: "created", value: value, limit: limit))
    }

    func object<T>(_ name: String, as type: T.Type) throws -> T {
        // Unwrapped first, then cast: the release build's specialised cast of
        // a nil `AnyObject?` to a class dereferenced null (found by the fuzzer).
        guard let found = objects[name], let object = found as? T else {
            throw ScenarioRaised(type: "NameError", message: "no \(T.self) named '\(name)'")
        }
        return object
    }

    // MARK: - Locks

    /// `object` as exactly `type` (a final class): a metadata compare, where
    /// `as?` goes through the runtime's dynamic cast on every lock step.
    @inline(__always)
    private func exactly<T: AnyObject>(_ object: AnyObject?, _ type: T.Type) -> T? {
        guard let object, ObjectIdentifier(Swift.type(of: object)) == ObjectIdentifier(type) else { return nil }
        return unsafeDowncast(object, to: type)
    }

    /// What `acquire` and `release` work on, found once by name (a `with`
    /// takes and lets go of the same object: one lookup, not two).
    enum Lockable {
        case lock(Lock), rlock(RLock), condition(Condition), semaphore(FuturesSync.Semaphore)

        func acquire(timeout: Duration?) throws -> Bool {
            switch self {
            case .lock(let lock): try lock.acquire(timeout: timeout)
            case .rlock(let lock): try lock.acquire(timeout: timeout)
            case .condition(let condition): try condition.lock.acquire(timeout: timeout)
            case .semaphore(let semaphore): try semaphore.acquire(timeout: timeout)
            }
        }

        func release() throws {
            switch self {
            case .lock(let lock): try lock.release()
            case .rlock(let lock): try lock.release()
            case .condition(let condition): try condition.release()
            case .semaphore(let semaphore): try semaphore.release()
            }
        }
    }

    /// The object named `name`, as something to acquire; else `NameError`.
    func lockable(_ name: String, toBe verb: String = "acquired") throws -> Lockable {
        let object = objects[name]
        if let lock = exactly(object, Lock.self) { return .lock(lock) }
        if let lock = exactly(object, RLock.self) { return .rlock(lock) }
        switch object {
        case let lock as Lock: return .lock(lock)
        case let lock as RLock: return .rlock(lock)
        case let condition as Condition: return .condition(condition)
        case let semaphore as FuturesSync.Semaphore: return .semaphore(semaphore)
        default: throw ScenarioRaised(type: "NameError", message: "'\(name)' cannot be \(verb)")
        }
    }

    func acquire(_ name: String, timeout: Duration?) throws -> Bool {
        try lockable(name).acquire(timeout: timeout)
    }

    func release(_ name: String) throws {
        try lockable(name, toBe: "released").release()
    }

    // MARK: - Queues

    /// A FIFO queue of values: a plain one, or the queue inside a pollable
    /// one (its readiness hooks are on that queue, so they still run).
    private func valueQueue(_ name: String) -> Queue<Value>? {
        guard let found = objects[name] else { return nil }
        return found as? Queue<Value> ?? (found as? PollableQueue<Value>)?.queue
    }

    func put(_ name: String, _ item: Value, block: Bool, timeout: Duration?) throws {
        if let queue = valueQueue(name) { return try queue.put(item, block: block, timeout: timeout) }
        try object(name, as: Queue<PriorityItem>.self).put(PriorityItem(item), block: block, timeout: timeout)
    }

    /// `get` on a queue; on a socket, one datagram (`Empty` when none came).
    func get(_ name: String, block: Bool, timeout: Duration?) throws -> Value {
        if let queue = valueQueue(name) { return try queue.get(block: block, timeout: timeout) }
        if let found = objects[name], let socket = found as? DatagramSocket {
            guard let bytes = try block ? socket.receive(timeout: timeout) : socket.receiveNow() else { throw Empty() }
            return try Datagrams.decode(bytes, from: name)
        }
        return try object(name, as: Queue<PriorityItem>.self).get(block: block, timeout: timeout).value
    }

    func taskDone(_ name: String) throws {
        if let queue = valueQueue(name) { return try queue.taskDone() }
        try object(name, as: Queue<PriorityItem>.self).taskDone()
    }

    func joinQueue(_ name: String) throws {
        if let queue = valueQueue(name) { return try queue.join() }
        try object(name, as: Queue<PriorityItem>.self).join()
    }

    /// Where `http_get` saves files when its step names no directory: a new
    /// temporary directory for the run, made on first use.
    /// The first use logs where the files go.
    func downloadsDirectory() throws -> String {
        try downloads.write { directory in
            if let directory { return directory }
            let made = defaultDownloads ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("futureslab-downloads-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: true)
            ThreadContext.current.trace?.record(.log(level: "info", message: "downloads are saved in \(made)"))
            directory = made
            return made
        }
    }

    /// `--downloads`: set before the run starts, only read after.
    var defaultDownloads: String?

    /// Stops the servers (idempotent): their ports are released however the
    /// run ended.
    func stopServers() {
        for (_, object) in objects.sorted(by: { $0.key < $1.key }) {
            switch object {
            case let server as FlagServer: server.stop()
            case let server as EchoServer: server.stop()
            default: break
            }
        }
    }

    /// The socket `send` sends datagrams from (made on first use).
    func sender() throws -> DatagramSocket {
        guard let senderSocket else { throw ScenarioRaised(type: "RuntimeError", message: "the scenario has no sockets") }
        return senderSocket
    }

    // MARK: - Threads

    /// The threads one run may make (`start_thread` in a runaway loop):
    /// Python's "can't start new thread" past it, not an exhausted machine.
    static let maximumThreads = ExecutorSpec.maximumThreads
    private let threadsMade = Atomic<Int>(0)

    /// Makes a thread (not started): named `name`, else as Python 3.10+
    /// names a thread with a target, `Thread-N (task)`.
    func makeThread(named name: String?, task: String, daemon: Bool, _ body: @escaping @Sendable () -> Void) throws -> ScenarioThread {
        guard threadsMade.wrappingAdd(1, ordering: .relaxed).newValue <= Self.maximumThreads else {
            throw ScenarioRaised(type: "RuntimeError", message: "can't start new thread (a run makes at most \(Self.maximumThreads) threads)")
        }
        let thread = ScenarioThread(name: name ?? nextThreadName(task: task), daemon: daemon, body: body)
        if daemon { hasDaemons.store(true, ordering: .relaxed) }
        threads.write { $0[thread.name] = thread }
        return thread
    }

    /// `Thread-N (task)`: the next number of Python's thread counter, which
    /// every unnamed thread takes (a ThreadPool's workers too).
    func nextThreadName(task: String) -> String {
        "Thread-\(threadCount.next()) (\(task))"
    }

    /// The thread named `name`; none: `NameError`.
    func thread(_ name: String) throws -> ScenarioThread {
        guard let thread = threads.read({ $0[name] }) else {
            throw ScenarioRaised(type: "NameError", message: "no thread named '\(name)'")
        }
        return thread
    }

    /// The daemon threads still running (at the end of main: abandoned).
    var daemonsAlive: [String] {
        guard hasDaemons.load(ordering: .relaxed) else { return [] }
        return threads.read { $0.values.filter { $0.daemon && $0.isAlive }.map(\.name).sorted() }
    }

    /// Whether any daemon thread was made (most runs make none).
    private let hasDaemons = Atomic<Bool>(false)

    /// Joins every thread started (Python waits for them at exit), then
    /// closes the actors still open and waits for them: the recipe's actors
    /// are daemon threads, which exit does not wait for, but a thread left
    /// blocked would look like a deadlock, and messages sent before the end
    /// are still taken.
    func joinAll() {
        // In name order, not the dictionary's (which changes from one process
        // to the next): a deterministic run's trace must not depend on hashing.
        // Daemon threads are not waited for (Python abandons them at exit).
        for (_, thread) in threads.read({ $0.sorted { $0.key < $1.key } }) where !thread.daemon { thread.joinAtExit() }
        // By name: a deterministic run's trace must not depend on hashing.
        for (_, object) in objects.sorted(by: { $0.key < $1.key }) {
            guard let actor = object as? any ScenarioActor, actor.hasStarted else { continue }
            try? actor.close()
            _ = try? actor.join(timeout: nil)
        }
    }

}

/// A thread of the program, as Python's `threading.Thread`: made, started
/// once, joined, alive between its start and its end.
final class ScenarioThread: @unchecked Sendable {
    // @unchecked: `state` is guarded by its lock; the rest is set in init.
    let name: String
    let daemon: Bool
    private let body: @Sendable () -> Void
    /// Nil until started; then the runtime's thread (`started` stays true).
    private let state = Locked<(started: Bool, thread: (any RuntimeThread)?)>((false, nil))

    init(name: String, daemon: Bool, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.daemon = daemon
        self.body = body
    }

    /// `t.start()`: a second one raises Python's RuntimeError.
    func start() throws {
        let first = state.write { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { throw ScenarioRaised(type: "RuntimeError", message: "threads can only be started once") }
        let thread = try currentRuntime.startThread(named: name, body)
        state.write { $0.thread = thread }
    }

    /// `t.is_alive()`: started and not ended.
    var isAlive: Bool { state.read { $0.thread?.isAlive ?? false } }

    /// `t.join(timeout)`, with Python's errors for a thread not started and
    /// for a thread joining itself.
    func join(timeout: Duration?) throws {
        guard let thread = state.read({ $0.thread }) else {
            throw ScenarioRaised(type: "RuntimeError", message: "cannot join thread before it is started")
        }
        guard ThreadContext.current.name != name || !thread.isAlive else {
            throw ScenarioRaised(type: "RuntimeError", message: "cannot join current thread")
        }
        _ = thread.join(timeout: timeout)
    }

    /// The wait at the end of main: for a started thread only.
    func joinAtExit() {
        state.read { $0.thread }?.join()
    }
}

/// A priority queue's item: ordered by its value (numbers, then text, then
/// lists by their first item, as Python compares tuples).
struct PriorityItem: Comparable, Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }

    static func < (lhs: PriorityItem, rhs: PriorityItem) -> Bool { Self.less(lhs.value, rhs.value) }
    static func == (lhs: PriorityItem, rhs: PriorityItem) -> Bool { lhs.value == rhs.value }

    static func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.list(x), .list(y)):
            for (left, right) in zip(x, y) where left != right { return less(left, right) }
            return x.count < y.count
        case let (.string(x), .string(y)): return x < y
        default:
            if let x = a.number, let y = b.number { return x < y }
            return a.repr < b.repr
        }
    }
}

/// A tagged actor's mailbox, taking scenario values: `["B", 2, 3]` is tag
/// "B" with payload [2, 3].
final class TaggedMailbox: MessageReceiver {
    let actor: ActorThread<Tagged<Value>>
    init(actor: ActorThread<Tagged<Value>>) { self.actor = actor }

    func send(_ message: Value) throws {
        guard case .list(let items) = message, case .string(let tag)? = items.first else {
            throw ScenarioRaised(type: "TypeError", message: "a tagged actor takes [tag, payload…], not \(message.repr)")
        }
        try actor.send(Tagged(tag, Array(items.dropFirst())))
    }
}

/// What the actor operations need of an actor of any kind (`start_actor`,
/// `close`, `join_actor`, and closing the open ones at the end of a run).
protocol ScenarioActor: AnyObject {
    var hasStarted: Bool { get }
    func start() throws
    func close() throws
    func join(timeout: Duration?) throws -> Bool
}

extension ActorThread: ScenarioActor {}
extension WorkerActor: ScenarioActor {}

extension TaggedMailbox: ScenarioActor {
    var hasStarted: Bool { actor.hasStarted }
    func start() throws { try actor.start() }
    func close() throws { try actor.close() }
    func join(timeout: Duration?) throws -> Bool { try actor.join(timeout: timeout) }
}
