import FuturesCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cookbook 12.13: a queue with a file descriptor, so that one `select`
/// waits on several queues and sockets at once.
///
/// A connected `socketpair` does it: the read end is the queue's
/// descriptor. Unlike the recipe, which writes a byte per `put` and reads
/// one per `get`, the descriptor here is readable exactly while the queue
/// holds items — one byte sits in the pair while it is not empty — so a put
/// never blocks on a full socket buffer (the recipe's stalls after a few
/// hundred unread items) and `select` never wakes for a stale byte. (As
/// with any shared queue, another consumer may take the item between the
/// wake-up and the `get`: such consumers take with `get(block: false)`.)
public final class PollableQueue<Element: Sendable>: Selectable, @unchecked Sendable {
    // @unchecked: the queue is thread-safe; `signal` guards its own state.
    public let name: String
    /// The queue inside: its put and get hooks keep the descriptor's
    /// readiness, however it is reached.
    package let queue: Queue<Element>
    private let signal: ReadinessPair

    /// Throws `RuntimeError` when the system refuses a socket pair.
    public init(maxsize: Int = 0, name: String = "pollable queue") throws {
        self.name = name
        queue = Queue(maxsize: maxsize, name: name, less: nil, tracedAs: (name, "pollable_queue"))
        signal = try ReadinessPair(name: name)
        // Set before the queue is shared: the hooks run under its mutex.
        queue.afterPut = { [signal] countBefore in try signal.itemAdded(countBefore: countBefore) }
        queue.afterGet = { [signal] countLeft in signal.itemTaken(countLeft: countLeft) }
    }

    deinit { signal.close() }

    public func fileDescriptor() throws -> Int32 { try signal.readEnd() }
    public var writesInFlight: Int { 0 }

    /// As `Queue.put`; on a closed queue: `ValueError('put on a closed pollable queue')`.
    public func put(_ item: Element, block: Bool = true, timeout: Duration? = nil) throws {
        try queue.put(item, block: block, timeout: timeout)
    }

    /// As `Queue.get`; items put before `close` can still be taken.
    public func get(block: Bool = true, timeout: Duration? = nil) throws -> Element {
        try queue.get(block: block, timeout: timeout)
    }

    public var qsize: Int { queue.qsize }
    public func taskDone() throws { try queue.taskDone() }
    public func join() throws { try queue.join() }

    /// Closes the descriptors: later puts and selects raise.
    public func close() { signal.close() }
}

/// The socket pair behind a pollable queue: one byte in it while the queue
/// is not empty.
final class ReadinessPair: @unchecked Sendable {
    // @unchecked: `ends` is only touched under `lock`.
    private let name: String
    private let lock = SpinLock()
    private var ends: (read: Int32, write: Int32)?

    init(name: String) throws {
        self.name = name
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else {
            throw RuntimeError("socketpair failed for '\(name)': \(String(cString: strerror(errno)))")
        }
        ends = (fds[0], fds[1])
    }

    func readEnd() throws -> Int32 {
        try lock.withLock {
            guard let ends else { throw ValueError("select on a closed pollable queue '\(name)'") }
            return ends.read
        }
    }

    /// Before a put (under the queue's mutex): an empty queue becomes
    /// readable.
    func itemAdded(countBefore: Int) throws {
        let readable: Int32? = try lock.withLock {
            guard let ends else { throw ValueError("put on a closed pollable queue '\(name)'") }
            guard countBefore == 0 else { return nil }
            var byte: UInt8 = 0x78
            _ = write(ends.write, &byte, 1)
            return ends.read
        }
        if let readable { Select.readinessChanged(readable) }
    }

    /// After a get (under the queue's mutex): an emptied queue stops being
    /// readable.
    func itemTaken(countLeft: Int) {
        guard countLeft == 0 else { return }
        lock.withLock {
            guard let ends else { return }
            var byte: UInt8 = 0
            _ = read(ends.read, &byte, 1)
        }
    }

    func close() {
        let closing = lock.withLock { () -> (read: Int32, write: Int32)? in
            defer { ends = nil }
            return ends
        }
        guard let closing else { return }
        Glibc.close(closing.read)
        Glibc.close(closing.write)
        Select.readinessChanged(closing.read)
    }
}
