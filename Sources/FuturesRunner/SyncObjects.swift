import FuturesCore
import FuturesScenario
import FuturesSync

/// A scenario's synchronisation objects and the threads it started.
final class SyncObjects: @unchecked Sendable {
    // @unchecked: `objects` is filled before main runs and only read after;
    // `threads` and `threadCount` are guarded by their lock.
    private var objects: [String: AnyObject] = [:]
    private let threads = Locked<[String: any RuntimeThread]>([:])
    private let threadCount = Counter(startingAt: 1)

    func make(_ specs: [ObjectSpec]) throws {
        for spec in specs where spec.kind == .lock { objects[spec.name] = Lock(name: spec.name) }
        for spec in specs {
            switch spec.kind {
            case .lock: break
            case .rlock: objects[spec.name] = RLock(name: spec.name)
            case .event: objects[spec.name] = Event(name: spec.name)
            case .condition:
                objects[spec.name] = Condition(lock: spec.lock.flatMap { objects[$0] as? Lock }, name: spec.name)
            case .semaphore, .boundedSemaphore:
                objects[spec.name] = try Semaphore(spec.value, bounded: spec.kind == .boundedSemaphore, name: spec.name)
            case .queue: objects[spec.name] = Queue<Value>(maxsize: spec.maxsize, name: spec.name)
            case .priorityQueue: objects[spec.name] = Queue<PriorityItem>.priority(maxsize: spec.maxsize, name: spec.name)
            case .threadLocal: objects[spec.name] = ThreadLocal<Value>()
            }
        }
    }

    func object<T>(_ name: String, as type: T.Type) throws -> T {
        guard let object = objects[name] as? T else {
            throw ScenarioRaised(type: "NameError", message: "no \(T.self) named '\(name)'")
        }
        return object
    }

    // MARK: - Locks

    func acquire(_ name: String, timeout: Duration?) throws -> Bool {
        switch objects[name] {
        case let lock as Lock: return try lock.acquire(timeout: timeout)
        case let lock as RLock: return try lock.acquire(timeout: timeout)
        case let condition as Condition: return try condition.lock.acquire(timeout: timeout)
        case let semaphore as Semaphore: return try semaphore.acquire(timeout: timeout)
        default: throw ScenarioRaised(type: "NameError", message: "'\(name)' cannot be acquired")
        }
    }

    func release(_ name: String) throws {
        switch objects[name] {
        case let lock as Lock: try lock.release()
        case let lock as RLock: try lock.release()
        case let condition as Condition: try condition.release()
        case let semaphore as Semaphore: try semaphore.release()
        default: throw ScenarioRaised(type: "NameError", message: "'\(name)' cannot be released")
        }
    }

    // MARK: - Queues

    func put(_ name: String, _ item: Value, block: Bool, timeout: Duration?) throws {
        if let queue = objects[name] as? Queue<Value> { return try queue.put(item, block: block, timeout: timeout) }
        try object(name, as: Queue<PriorityItem>.self).put(PriorityItem(item), block: block, timeout: timeout)
    }

    func get(_ name: String, block: Bool, timeout: Duration?) throws -> Value {
        if let queue = objects[name] as? Queue<Value> { return try queue.get(block: block, timeout: timeout) }
        return try object(name, as: Queue<PriorityItem>.self).get(block: block, timeout: timeout).value
    }

    func taskDone(_ name: String) throws {
        if let queue = objects[name] as? Queue<Value> { return try queue.taskDone() }
        try object(name, as: Queue<PriorityItem>.self).taskDone()
    }

    func joinQueue(_ name: String) throws {
        if let queue = objects[name] as? Queue<Value> { return try queue.join() }
        try object(name, as: Queue<PriorityItem>.self).join()
    }

    // MARK: - Threads

    func start(named name: String?, _ body: @escaping @Sendable () -> Void) throws -> String {
        let threadName = name ?? "Thread-\(threadCount.next())"
        let thread = try currentRuntime.startThread(named: threadName, body)
        threads.write { $0[threadName] = thread }
        return threadName
    }

    /// Joins every thread started (Python waits for them at exit).
    func joinAll() {
        for thread in threads.read({ Array($0.values) }) { thread.join() }
    }

    func join(_ name: String) throws {
        guard let thread = threads.read({ $0[name] }) else {
            throw ScenarioRaised(type: "NameError", message: "no thread named '\(name)'")
        }
        thread.join()
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
