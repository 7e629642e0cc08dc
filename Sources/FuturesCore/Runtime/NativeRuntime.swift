import CFuturesShim
import FuturesTrace
import FuturesTraceSchema

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The native runtime: real OS threads and the wall clock (CLOCK_MONOTONIC).
///
/// The seam costs nothing measurable here: a traced event is one nil check when
/// there is no sink, and parking spins briefly before it sleeps, so a hand-off
/// between two busy threads never enters the kernel.
public final class NativeRuntime: Runtime {
    /// The runtime of threads nobody placed in another one.
    public static let shared = NativeRuntime()

    public let kind = RuntimeKind.native
    public let trace: (any TraceSink)?
    /// Watches for deadlocks when the runtime was made with a threshold.
    let watchdog: Watchdog?

    /// Leaves these threads out of deadlock reports from now on: daemon
    /// threads abandoned at the end of main, blocked until the process exits.
    public func excludeFromDeadlocks(_ threads: [String]) {
        watchdog?.exclude(threads)
    }
    /// How long a parked thread spins before it sleeps in the kernel.
    public let spin: Duration
    private let futureIDs = Counter(startingAt: 1)

    /// - Parameters:
    ///   - trace: where core events go; `nil` records nothing.
    ///   - spin: spin time before a parked thread sleeps. 50 µs covers a
    ///     submit → run → result round trip on a 2-core machine; longer spins
    ///     only burn the core that the other threads need.
    ///   - watchdog: when set, report a deadlock (to `onDeadlock` and as a
    ///     `deadlock` trace event) once every thread of this runtime but idle
    ///     workers has sat in an untimed wait this long (1 s is a good start).
    ///     Nothing is killed. Off by default: it needs a watching thread and a
    ///     little bookkeeping on every wait.
    public init(
        trace: (any TraceSink)? = nil,
        spin: Duration = .microseconds(50),
        watchdog: Duration? = nil,
        onDeadlock: @escaping @Sendable (DeadlockReport) -> Void = { _ in }
    ) {
        self.spin = spin
        if let threshold = watchdog {
            let graph = WaitGraph(downstream: trace)
            self.trace = graph
            self.watchdog = Watchdog(threshold: threshold, graph: graph, onDeadlock: onDeadlock)
            self.watchdog?.start()
        } else {
            self.trace = trace
            self.watchdog = nil
        }
        if let sink = trace as? any RuntimeAttachedSink {
            let origin = fl_monotonic_ns()
            sink.attach(
                header: TraceHeader(program: "", runtime: kind),
                clock: Self.traceClock(origin: origin),
                currentThread: { ThreadContext.current.name })
        }
    }

    /// Stamps trace events with TSC ticks where they stand for time (a third
    /// of the cost of clock_gettime here), calibrated against the monotonic
    /// clock when the trace is read; with the monotonic clock otherwise.
    private static func traceClock(origin: UInt64) -> TraceClock {
        guard fl_ticks_are_invariant() else {
            return TraceClock(
                stamp: {
                    let time = fl_monotonic_ns() &- origin
                    return (time, time)
                },
                converter: { { $0 } })
        }
        let firstTick = fl_ticks()
        return TraceClock(
            stamp: {
                let tick = fl_ticks()
                return (tick, tick)
            },
            converter: {
                let tick = fl_ticks()
                let elapsed = fl_monotonic_ns() &- origin
                let rate = tick > firstTick ? Double(elapsed) / Double(tick - firstTick) : 1
                return { stamp in stamp <= firstTick ? 0 : UInt64(Double(stamp - firstTick) * rate) }
            },
            readsTicks: true)
    }

    public func now() -> RuntimeInstant {
        RuntimeInstant(nanoseconds: fl_monotonic_ns())
    }

    public func sleep(for duration: Duration) {
        let context = ThreadContext.current
        record(.waitBegan(thread: context.name, reason: .sleep))
        var remaining = timespec(
            tv_sec: Int(duration.clampedNanoseconds / 1_000_000_000),
            tv_nsec: Int(duration.clampedNanoseconds % 1_000_000_000))
        var left = timespec()
        while nanosleep(&remaining, &left) == -1 && errno == EINTR {
            remaining = left
        }
        record(.waitEnded(thread: context.name, reason: .sleep, timedOut: true))
    }

    /// A blocking call that does not go through the parker — a real
    /// `poll(2)` in `select` — made visible like a park: traced as a wait
    /// under `reason`, and shown to the watchdog, so an untimed one that
    /// nothing will ever end is reported as a deadlock instead of hanging the
    /// run. `timedOut` tells from the result whether the deadline passed.
    public func blocking<R>(reason: WaitReason, deadline: RuntimeInstant?, timedOut: (R) -> Bool = { _ in false },
                            _ body: () throws -> R) rethrows -> R {
        let context = ThreadContext.current
        let key = context.parker
        watchdog?.waitBegan(key, thread: context.name, reason: reason, deadline: deadline)
        defer { watchdog?.waitEnded(key) }
        guard let trace else { return try body() }
        trace.record(.waitBegan(thread: context.name, reason: reason))
        do {
            let result = try body()
            trace.record(.waitEnded(thread: context.name, reason: reason, timedOut: timedOut(result)))
            return result
        } catch {
            trace.record(.waitEnded(thread: context.name, reason: reason, timedOut: false))
            throw error
        }
    }

    /// With a watchdog: the runtime's threads that have started and not yet
    /// ended (nil without one, which does not count them).
    public var threadsAlive: Int? { watchdog?.threadsAlive }

    public func startThread(named name: String, _ body: @escaping @Sendable () -> Void) throws -> any RuntimeThread {
        guard let watchdog else {
            return try NativeThread.start(name: name, context: makeContext(named: name), body: body)
        }
        watchdog.threadStarted()
        do {
            return try NativeThread.start(name: name, context: makeContext(named: name)) {
                defer { watchdog.threadEnded() }
                body()
            }
        } catch {
            watchdog.threadEnded()
            throw error
        }
    }

    public func spin(upTo duration: Duration, until condition: () -> Bool) -> Bool {
        let end = fl_monotonic_ns() &+ duration.clampedNanoseconds
        var round: UInt32 = 0
        while true {
            if condition() { return true }
            fl_cpu_relax()
            round &+= 1
            if round & 15 == 0 && fl_monotonic_ns() >= end { return false }
        }
    }

    public func busy(for duration: Duration) {
        let end = fl_monotonic_ns() &+ duration.clampedNanoseconds
        while fl_monotonic_ns() < end {
            for _ in 0..<64 { fl_cpu_relax() }
        }
    }

    public func nextExecutorIndex() -> UInt64 {
        Self.executorIndexes.next()
    }

    /// Shared by every native runtime: CPython's class-wide counter.
    private static let executorIndexes = Counter(startingAt: 0)

    public func nextFutureID() -> UInt64 {
        futureIDs.next()
    }

    /// A context for a thread of this runtime, with a parker of its own.
    package func makeContext(named name: String) -> ThreadContext {
        ThreadContext(name: name, runtime: self, parker: NativeParker(owner: name, runtime: self))
    }
}
