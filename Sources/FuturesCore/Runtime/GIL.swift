import DequeModule
import FuturesTrace
import FuturesTraceSchema

/// A model of CPython's global interpreter lock, for experiments: one per
/// (simulated) process. A thread holds it while it runs "Python code" — CPU
/// work (`busy`) — and lets it go for blocking I/O (`blockingIO`). A thread
/// doing CPU work hands it over every `switchInterval` when another thread
/// wants it (`sys.setswitchinterval`, 5 ms by default), first come, first
/// served. Waiting for it is a traced wait (reason `gil`), and taking and
/// dropping it are trace events, so lanes show running vs waiting-for-GIL vs
/// I/O. It works in both runtimes (deterministic: exact virtual timelines).
///
/// Threading rule: `holder` and `waiters` change only under `lock`; threads
/// park outside it.
public final class GIL: @unchecked Sendable {
    public let process: String
    public let switchInterval: Duration
    private let lock = SpinLock()
    private var holder: ObjectIdentifier?
    private var holderName = ""
    private var waiters = Deque<(id: ObjectIdentifier, parker: any Parker)>()

    public init(process: String, switchInterval: Duration = .milliseconds(5)) {
        self.process = process
        self.switchInterval = switchInterval
    }

    /// Takes the GIL, waiting for it if another thread holds it.
    public func acquire() {
        let context = ThreadContext.current
        let me = ObjectIdentifier(context)
        let holderNow: String? = lock.withLock {
            if holder == nil {
                holder = me
                holderName = context.name
                return nil
            }
            waiters.append((me, context.parker))
            return holderName
        }
        if let holderNow {
            // Ownership is handed over by `release` (FIFO): wait until it is
            // ours. (The parker records the wait.)
            let reason = WaitReason.gil(process: process, holder: holderNow)
            while lock.withLock({ holder != me }) {
                if case .deadlocked = context.parker.park(until: nil, reason: reason) { break }
            }
        }
        context.detailTrace?.record(.gilTaken(process: process))
    }

    /// Gives the GIL up: to the longest waiter, if any.
    public func release() {
        let context = ThreadContext.current
        context.detailTrace?.record(.gilDropped(process: process))
        let next: (any Parker)? = lock.withLock {
            guard holder == ObjectIdentifier(context) else { return nil }
            guard let first = waiters.popFirst() else {
                holder = nil
                return nil
            }
            holder = first.id
            holderName = threadName(of: first.parker) ?? "another thread"
            return first.parker
        }
        next?.unpark()
    }

    /// Someone is waiting for the GIL.
    public var isWanted: Bool { lock.withLock { !waiters.isEmpty } }

    /// CPU work for `duration`, holding the GIL, handing it over at every
    /// switch interval when another thread waits for it. The caller holds
    /// the GIL.
    public func busy(for duration: Duration) {
        let runtime = currentRuntime
        var remaining = duration
        var slices = 0
        while remaining > .zero {
            // Past `maximumSlices` switch intervals (50 s of CPU at 5 ms), the
            // rest is one slice: `busy: 99999999999` ends, holding the GIL.
            slices += 1
            let slice = slices < Self.maximumSlices ? min(remaining, switchInterval) : remaining
            runtime.busy(for: slice)
            remaining -= slice
            if remaining > .zero, isWanted {
                release()
                acquire()
            }
        }
    }

    /// The switch intervals one `busy` hands the GIL over at, at most.
    public static let maximumSlices = 10_000

    /// Blocking I/O (a sleep, a socket): the GIL is dropped around it and
    /// taken back after — which may mean waiting for a CPU-bound thread's
    /// switch interval (the convoy effect). The caller holds the GIL.
    public func blockingIO(_ body: () throws -> Void) rethrows {
        release()
        defer { acquire() }
        try body()
    }

    /// Runs `body` holding the GIL (a task of a GIL executor).
    public func holding<R>(_ body: () throws -> R) rethrows -> R {
        acquire()
        defer { release() }
        return try body()
    }

    private func threadName(of parker: any Parker) -> String? {
        (parker as? NamedParker)?.ownerName
    }
}

/// Parkers that know whose they are (for the GIL's "held by" in traces).
public protocol NamedParker {
    var ownerName: String { get }
}

extension NativeParker: NamedParker {
    public var ownerName: String { owner }
}

extension DeterministicParker: NamedParker {
    var ownerName: String { thread.name }
}
