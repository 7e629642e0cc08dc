import DequeModule
import FuturesCore
import FuturesTrace

/// Python's `queue.Queue` (Cookbook 12.3), and with an ordering,
/// `PriorityQueue`: `put` waits while it is full (`maxsize` > 0), `get`
/// while it is empty; the non-blocking and timed forms raise `Full` and
/// `Empty`; `task_done` and `join` count the work consumers finish.
public final class Queue<Element: Sendable>: @unchecked Sendable {
    // @unchecked: every `var` is guarded by `mutex` (through the conditions).
    public let name: String
    public let maxsize: Int
    private let mutex: Lock
    private let notEmpty: Condition
    private let notFull: Condition
    private let allTasksDone: Condition
    private var fifo = Deque<Element>()
    private var heap: [Element] = []
    private let less: (@Sendable (Element, Element) -> Bool)?
    private var unfinished = 0
    /// Called with the mutex held before each put, with the count already in
    /// the queue (it may refuse the put by throwing), and after each get,
    /// with the count left: the pollable queue's readiness signal.
    var afterPut: (@Sendable (Int) throws -> Void)?
    var afterGet: (@Sendable (Int) -> Void)?
    /// How its puts and gets show in traces (name, kind), if they do: a
    /// scenario's queues do, an actor's mailbox shows as the actor.
    let tracedAs: (name: String, kind: String)?

    public convenience init(maxsize: Int = 0, name: String = "queue") {
        self.init(maxsize: maxsize, name: name, less: nil, tracedAs: (name, "queue"))
    }

    init(maxsize: Int, name: String, less: (@Sendable (Element, Element) -> Bool)?, tracedAs: (name: String, kind: String)?) {
        self.name = name
        self.tracedAs = tracedAs
        self.maxsize = maxsize
        self.less = less
        mutex = Lock(internalName: name + ".mutex")
        notEmpty = Condition(lock: mutex, name: name + " (not empty)", traced: false)
        notFull = Condition(lock: mutex, name: name + " (not full)", traced: false)
        allTasksDone = Condition(lock: mutex, name: name + " (all tasks done)", traced: false)
    }

    /// Items in it now.
    public var qsize: Int { (try? mutex.withLock { count }) ?? 0 }
    public var empty: Bool { qsize == 0 }
    public var full: Bool { maxsize > 0 && qsize >= maxsize }

    private var count: Int { less == nil ? fifo.count : heap.count }

    /// Puts `item`, waiting for room if `block` (up to `timeout`); raises
    /// `Full` when there is none.
    public func put(_ item: Element, block: Bool = true, timeout: Duration? = nil) throws {
        try mutex.withLock {
            if maxsize > 0 {
                if !block {
                    if count >= maxsize { throw Full() }
                } else {
                    guard try notFull.waitFor(timeout: timeout, { count < maxsize }) else { throw Full() }
                }
            }
            try afterPut?(count)
            insert(item)
            unfinished += 1
            traceChange("put")
            try notEmpty.notify()
        }
    }

    public func putNowait(_ item: Element) throws { try put(item, block: false) }

    /// Takes the next item, waiting for one if `block` (up to `timeout`);
    /// raises `Empty` when there is none.
    public func get(block: Bool = true, timeout: Duration? = nil) throws -> Element {
        try mutex.withLock {
            if !block {
                if count == 0 { throw Empty() }
            } else {
                guard try notEmpty.waitFor(timeout: timeout, { count > 0 }) else { throw Empty() }
            }
            let item = removeNext()
            afterGet?(count)
            traceChange("get")
            try notFull.notify()
            return item
        }
    }

    public func getNowait() throws -> Element { try get(block: false) }

    /// A consumer finished an item it got. Called more often than items were
    /// put: `ValueError('task_done() called too many times')`.
    public func taskDone() throws {
        try mutex.withLock {
            guard unfinished > 0 else { throw ValueError("task_done() called too many times") }
            unfinished -= 1
            if unfinished == 0 { try allTasksDone.notifyAll() }
        }
    }

    /// Waits until every item put has been marked done.
    public func join() throws {
        try mutex.withLock {
            _ = try allTasksDone.waitFor { unfinished == 0 }
        }
    }

    /// A put or a get, with the depth after it (called under the mutex, so
    /// depths are recorded in the order they happen).
    private func traceChange(_ action: String) {
        guard let tracedAs, let trace = ThreadContext.current.detailTrace else { return }
        trace.record(.object(tracedAs.name, kind: tracedAs.kind, action: action, value: count))
    }

    // MARK: - Storage

    private func insert(_ item: Element) {
        guard let less else { return fifo.append(item) }
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func removeNext() -> Element {
        guard let less else { return fifo.removeFirst() }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, less(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count, less(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}




extension Queue where Element: Comparable {
    /// A priority queue: `get` returns the smallest item.
    public static func priority(maxsize: Int = 0, name: String = "priority queue") -> Queue<Element> {
        Queue(maxsize: maxsize, name: name, less: { $0 < $1 }, tracedAs: (name, "priority_queue"))
    }
}

/// `put` on a full queue without waiting (or after the timeout).
public struct Full: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "Full" }
}

/// `get` on an empty queue without waiting (or after the timeout).
public struct Empty: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "Empty" }
}
