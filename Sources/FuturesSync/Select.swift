import FuturesCore
import FuturesTraceSchema

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something `select` can wait on: it has a file descriptor that becomes
/// readable when it has something to read (a pollable queue, a socket).
public protocol Selectable: AnyObject, Sendable {
    /// Shown in traces: `select` waits on these names.
    var name: String { get }
    /// The descriptor to poll for reading. Throws once the object is closed.
    func fileDescriptor() throws -> Int32
    /// Writes this process made to the descriptor that it may not show yet
    /// (a datagram on its way through loopback). The deterministic runtime
    /// gives the kernel a moment to deliver those instead of parking for
    /// ever; 0 when writes are seen at once (a socketpair).
    var writesInFlight: Int { get }
}

/// `select.select(readables, [], [], timeout)` over pollable queues and
/// sockets: returns those readable now, waiting up to `timeout` (nil: for
/// ever) for the first. An empty result means the timeout passed.
///
/// Natively this is one real `poll(2)`, traced as a wait and watched by the
/// native watchdog (a select nothing will wake is reported, not hung). In the
/// deterministic runtime it is a scheduling point that looks at the real
/// readiness of the descriptors (a zero-timeout `poll`); when none is
/// readable the thread parks — in virtual time, part of the deadlock
/// detector — until a write this process makes to one of them
/// (`Select.readinessChanged`) or the timeout. Rejected: spinning on
/// `poll` in virtual time (it would advance the clock by guesswork) and
/// modelling readiness without the descriptors (the experiment is that the
/// kernel wakes the selector).
public func select(_ readables: [any Selectable], timeout: Duration? = nil) throws -> [any Selectable] {
    let descriptors = try readables.map { try $0.fileDescriptor() }
    let reason = WaitReason.primitive(kind: .select, name: readables.map(\.name).joined(separator: ", "), waitsFor: "readable")
    let context = ThreadContext.current
    if let native = context.runtime as? NativeRuntime {
        let ready = try native.blocking(reason: reason, deadline: native.deadline(after: timeout), timedOut: { $0.isEmpty }) {
            try Select.poll(descriptors, timeout: timeout)
        }
        return ready.map { readables[$0] }
    }
    let deadline = deadline(timeout)
    while true {
        _ = context.runtime.spin(upTo: .zero) { false }
        let waiter = Select.watch(descriptors, context)
        defer { Select.unwatch(waiter) }
        var ready = try Select.poll(descriptors, timeout: .zero)
        if ready.isEmpty, readables.contains(where: { $0.writesInFlight > 0 }) {
            // Written, not yet delivered: a real (wall-clock) wait, which
            // virtual time does not see; loopback delivers in microseconds.
            ready = try Select.poll(descriptors, timeout: .seconds(1))
        }
        if !ready.isEmpty { return ready.map { readables[$0] } }
        if let deadline, context.runtime.now() >= deadline { return [] }
        switch context.parker.park(until: deadline, reason: reason) {
        case .unparked, .timedOut: continue
        case .deadlocked(let report): throw DeadlockError(report: report)
        }
    }
}

/// The descriptors' side of `select`: real polls, and the deterministic
/// runtime's list of threads waiting for a descriptor to become readable.
public enum Select {
    struct Waiter {
        let descriptors: [Int32]
        let parker: any Parker
        let id: UInt64
    }

    private static let lock = SpinLock()
    nonisolated(unsafe) private static var waiters: [Waiter] = []
    // nonisolated(unsafe): `waiters` is only touched under `lock`.
    private static let ids = Counter(startingAt: 1)

    /// A write this process made to `descriptor` (the far end of a pair, or
    /// a socket a datagram was sent to): wakes the deterministic threads
    /// waiting in `select` on it. Never blocks (see the runtime's threading rule).
    public static func readinessChanged(_ descriptor: Int32) {
        let woken = lock.withLock { waiters.filter { $0.descriptors.contains(descriptor) } }
        for waiter in woken { waiter.parker.unpark() }
    }

    static func watch(_ descriptors: [Int32], _ context: ThreadContext) -> Waiter {
        let waiter = Waiter(descriptors: descriptors, parker: context.parker, id: ids.next())
        lock.withLock { waiters.append(waiter) }
        return waiter
    }

    static func unwatch(_ waiter: Waiter) {
        lock.withLock { waiters.removeAll { $0.id == waiter.id } }
    }

    /// One `poll(2)` for reading; the indexes of the readable descriptors
    /// (hang-ups and errors count as readable: a read will tell). Retries on
    /// EINTR with the time left.
    static func poll(_ descriptors: [Int32], timeout: Duration?) throws -> [Int] {
        var fds = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let end = timeout.map { NativeRuntime.shared.now().advanced(by: $0) }
        while true {
            var milliseconds: Int32 = -1
            if let end {
                let left = NativeRuntime.shared.now().duration(until: end).clampedNanoseconds
                milliseconds = Int32(min(UInt64(Int32.max), (left + 999_999) / 1_000_000))
            }
            let count = fds.withUnsafeMutableBufferPointer { systemPoll($0.baseAddress, nfds_t($0.count), milliseconds) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RuntimeError("select failed: \(String(cString: strerror(errno)))")
            }
            return fds.indices.filter { fds[$0].revents & Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL) != 0 }
        }
    }
}

#if canImport(Glibc)
private let systemPoll = Glibc.poll
#elseif canImport(Darwin)
private let systemPoll = Darwin.poll
#endif
