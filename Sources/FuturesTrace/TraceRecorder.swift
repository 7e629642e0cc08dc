import FuturesTraceSchema
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a runtime stamps trace events.
public struct TraceClock: Sendable {
    /// The stamp of an event now: a time in the clock's own units, and its
    /// place in the order of events. A deterministic runtime counts events
    /// (several happen at one virtual instant); a native one orders by time
    /// (no counter that every thread would fight over).
    public let stamp: @Sendable () -> (time: UInt64, order: UInt64)
    /// Makes a function from stamp times to nanoseconds since the run began,
    /// valid for every stamp taken so far (a native clock calibrates its cheap
    /// ticks against the monotonic clock when it is asked).
    public let converter: @Sendable () -> @Sendable (UInt64) -> UInt64
    /// `stamp` is `(fl_ticks(), fl_ticks())`: a lane reads the TSC inline
    /// instead of calling it (a closure call and its context's retain cost
    /// more than the read).
    public let readsTicks: Bool

    public init(
        stamp: @escaping @Sendable () -> (time: UInt64, order: UInt64),
        converter: @escaping @Sendable () -> @Sendable (UInt64) -> UInt64,
        readsTicks: Bool = false
    ) {
        self.stamp = stamp
        self.converter = converter
        self.readsTicks = readsTicks
    }
}

/// A sink that wants the runtime's clock and the name of the recording thread.
/// Runtimes attach themselves to such a sink when they are created with it.
public protocol RuntimeAttachedSink: TraceSink {
    /// - Parameters:
    ///   - header: what the runtime is (kind, clock, seed, strategy, cores).
    ///   - clock: how events are stamped.
    ///   - currentThread: the name of the calling thread.
    func attach(header: TraceHeader, clock: TraceClock, currentThread: @escaping @Sendable () -> String)

    /// The thread-local slots (pthread keys) the sink keeps per thread. A
    /// runtime that runs several simulated threads on one OS thread (fibers)
    /// saves and restores them at every switch, with its own.
    /// (No default: a wrapper that forgot to forward its recorder's would
    /// file events of one simulated thread under another.)
    var perThreadKeys: [pthread_key_t] { get }
}

/// Records core events in memory and writes them as a trace file.
///
/// Each thread appends to a buffer of its own (found through a thread-local
/// cache), stamped with the runtime's clock; reading the trace merges the
/// buffers by their order stamps and numbers the events. Results are described
/// only then (`TracedOutcome`). So recording costs a clock read and an
/// uncontended append, and threads never wait for each other to record.
///
/// Memory: a recorder keeps every finished future it recorded alive (but those
/// of `Void` calls) until the recorder itself goes, so that their results can
/// be described when the trace is read; about 40 bytes per event besides.
public final class TraceRecorder: RuntimeAttachedSink, @unchecked Sendable {
    // @unchecked: `header`, `clock`, `currentThread` are set once by `attach`
    // (under `registry`) before the runtime records anything, and read by
    // readers of the trace under `registry`; `buffers` is only touched under
    // `registry`; each buffer guards its own entries.
    private let id = recorderIDs.wrappingAdd(1, ordering: .relaxed).newValue
    private let registry = PThreadLock()
    private var buffers: [TraceLane] = []
    private var header: TraceHeader
    private var clock = TraceClock(stamp: { (0, 0) }, converter: { { $0 } })
    private var currentThread: @Sendable () -> String = { "" }

    /// - Parameter program: the scenario or program name for the header.
    /// - Parameter title: the scenario's title, for the header.
    /// - Parameter params: the scenario's parameters in force, for the header.
    public init(program: String, title: String? = nil, description: String? = nil, params: [TraceHeader.Param] = []) {
        header = TraceHeader(program: program, runtime: .native)
        header.title = title
        header.description = description
        header.params = params
    }

    private var attached = false

    public func attach(header: TraceHeader, clock: TraceClock, currentThread: @escaping @Sendable () -> String) {
        var header = header
        header.program = self.header.program
        header.title = self.header.title
        header.description = self.header.description
        header.params = self.header.params
        // Under the registry lock: a live view may read the trace while the
        // runtime is still being made.
        registry.lock()
        self.header = header
        self.clock = clock
        self.currentThread = currentThread
        attached = true
        registry.unlock()
    }

    public func record(_ event: CoreEvent) {
        withLane { $0.appendGeneric(event) }
    }

    public func recordSubmitted(future: UInt64, executor: String, label: String?) {
        withLane { $0.appendSubmitted(future: future, executor: executor, label: label) }
    }

    public func recordStarted(future: UInt64, worker: String) {
        let compact = withLane { lane -> Bool in
            guard worker == lane.thread else { return false }
            lane.started(future: future)
            return true
        }
        if !compact { record(.started(future: future, worker: worker)) }
    }

    public func recordReturnedVoid(future: UInt64) {
        withLane { $0.returnedVoid(future: future) }
    }

    public func recordFinished(future: UInt64, failed: Bool, outcome: any OutcomeSource) {
        withLane { $0.finished(future: future, failed: failed, outcome: outcome) }
    }

    /// The calling thread's lane, for a thread that records many events (a
    /// pool's worker): it records through it directly from then on.
    public func lane() -> TraceLane? {
        withLane { $0 }
    }

    /// Runs `body` with the calling thread's lane lent at +0: the recorder
    /// keeps every lane alive, so no retain or release is needed per event.
    @inline(__always)
    private func withLane<R>(_ body: (TraceLane) -> R) -> R {
        ThreadCache.withCurrent { cache in
            if cache.recorderID == id, let lane = cache.lane {
                return lane._withUnsafeGuaranteedRef(body)
            }
            return body(newLane(cache))
        }
    }

    /// The thread-local slot of the per-thread buffer cache; it holds a
    /// retained object or nil. A runtime that runs several threads of
    /// execution on one OS thread (fibers) saves and restores it at each
    /// switch, so that each keeps a buffer of its own.
    public var perThreadKeys: [pthread_key_t] { [cacheKey] }

    /// The header and every event so far, as trace lines.
    public var trace: (header: TraceHeader, events: [TraceEvent]) {
        registry.lock()
        let all = buffers
        let header = self.header
        let clock = self.clock
        registry.unlock()
        let nanoseconds = clock.converter()
        var merged: [(entry: TraceLane.Entry, thread: String)] = []
        for buffer in all {
            merged.append(contentsOf: buffer.entries().map { ($0, buffer.thread) })
        }
        // Stable: equal stamps keep buffer order, then append order.
        let ordered = merged.enumerated().sorted {
            ($0.element.entry.order, $0.offset) < ($1.element.entry.order, $1.offset)
        }
        var lastTime: UInt64 = 0
        let events = ordered.enumerated().map { index, item in
            // Clocks of different cores may disagree by a few nanoseconds;
            // a trace's time never goes backwards.
            lastTime = max(lastTime, nanoseconds(item.element.entry.time))
            return TraceEvent(seq: index + 1, nanoseconds: lastTime, thread: item.element.thread, event: item.element.entry.event)
        }
        return (header, events)
    }

    /// The header alone (final once a runtime has attached).
    public var currentHeader: TraceHeader {
        registry.lock()
        defer { registry.unlock() }
        return header
    }

    /// Whether a runtime has attached (the header is final).
    public var isAttached: Bool {
        registry.lock()
        defer { registry.unlock() }
        return attached
    }

    /// The events recorded since `cursor`, in the order `trace` gives them,
    /// numbered and timed as `trace` numbers and times them — for a trace
    /// written as the run goes (`IncrementalTraceFile`). Events stamped less
    /// than `holdback` nanoseconds of the clock ago wait for the next call,
    /// so that one still being appended by a slower thread cannot come out
    /// of order; `holdback: 0` takes everything.
    public func drain(_ cursor: inout TraceCursor, holdback: UInt64) -> [TraceEvent] {
        registry.lock()
        let all = buffers
        let clock = self.clock
        registry.unlock()
        let nanoseconds = clock.converter()
        let now = holdback == 0 ? UInt64.max : clock.stamp().time
        var fresh: [(entry: TraceLane.Entry, thread: String, buffer: Int)] = []
        for (index, buffer) in all.enumerated() {
            if cursor.taken.count <= index { cursor.taken.append(0) }
            for entry in buffer.entries(from: cursor.taken[index]) {
                if holdback > 0, now &- entry.time < holdback || entry.time > now { break }
                fresh.append((entry, buffer.thread, index))
            }
        }
        let ordered = fresh.enumerated().sorted {
            ($0.element.entry.order, $0.offset) < ($1.element.entry.order, $1.offset)
        }
        var events: [TraceEvent] = []
        events.reserveCapacity(ordered.count)
        for item in ordered {
            cursor.taken[item.element.buffer] += 1
            cursor.lastTime = max(cursor.lastTime, nanoseconds(item.element.entry.time))
            cursor.seq += 1
            events.append(TraceEvent(seq: cursor.seq, nanoseconds: cursor.lastTime, thread: item.element.thread, event: item.element.entry.event))
        }
        return events
    }

    /// The whole trace file as text (JSON Lines).
    public func jsonLines() -> String {
        let (header, events) = trace
        return TraceWriter.file(header: header, events: events)
    }

    /// Writes the trace file to `path`.
    public func write(toFile path: String) throws {
        let text = jsonLines()
        guard let file = fopen(path, "w") else {
            throw TraceFileError(path: path, message: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        if fputs(text, file) < 0 {
            throw TraceFileError(path: path, message: String(cString: strerror(errno)))
        }
    }

    // MARK: - Per-thread lanes

    /// A lane stamps with the clock in force when it is made: runtimes
    /// attach (`attach`) in their initialiser, before any of their threads
    /// records, so every lane gets the run's clock.
    private func newLane(_ cache: ThreadCache) -> TraceLane {
        let thread = currentThread()
        registry.lock()
        let lane = TraceLane(thread: thread, clock: clock)
        buffers.append(lane)
        registry.unlock()
        // The recorder keeps the lane alive; the cache is checked by the
        // recorder's id (never reused) before the pointer is touched.
        cache.recorderID = id
        cache.lane = Unmanaged.passUnretained(lane)
        return lane
    }
}

private let recorderIDs = Atomic<UInt64>(0)

/// The calling thread's last (recorder, lane) pair.
private final class ThreadCache {
    var recorderID: UInt64 = 0
    var lane: Unmanaged<TraceLane>?

    /// Runs `body` with the calling thread's cache lent at +0 (the
    /// thread-local slot keeps it alive).
    @inline(__always)
    static func withCurrent<R>(_ body: (ThreadCache) -> R) -> R {
        if let raw = pthread_getspecific(cacheKey) {
            return Unmanaged<ThreadCache>.fromOpaque(raw)._withUnsafeGuaranteedRef(body)
        }
        return body(make())
    }

    private static func make() -> ThreadCache {
        let cache = ThreadCache()
        pthread_setspecific(cacheKey, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }
}

/// One key for the whole process (keys are few and reused once deleted); its
/// destructor drops the thread's cache when the thread ends.
private let cacheKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { raw in
        guard let raw else { return }
        Unmanaged<ThreadCache>.fromOpaque(raw).release()
    }
    return key
}()

/// A trace file could not be written or read.
public struct TraceFileError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// A `pthread_mutex_t` at a stable address, for the recorder's list of buffers.
final class PThreadLock: @unchecked Sendable {
    // @unchecked: the mutex is only used through pthread calls, which are
    // thread-safe; it is created in init and destroyed in deinit.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}

/// Where `TraceRecorder.drain` left off: how many events of each thread's
/// buffer were taken, the last number and time given.
public struct TraceCursor: Sendable {
    var taken: [Int] = []
    public internal(set) var seq = 0
    var lastTime: UInt64 = 0
    public init() {}
}
