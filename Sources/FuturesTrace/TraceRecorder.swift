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

    public init(
        stamp: @escaping @Sendable () -> (time: UInt64, order: UInt64),
        converter: @escaping @Sendable () -> @Sendable (UInt64) -> UInt64
    ) {
        self.stamp = stamp
        self.converter = converter
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
    private var buffers: [ThreadBuffer] = []
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
        stamped { buffer, time, order in
            buffer.appendGeneric(event, order: order, time: time)
        }
    }

    public func recordSubmitted(future: UInt64, executor: String, label: String?) {
        stamped { buffer, time, order in
            buffer.appendSubmitted(future: future, executor: executor, label: label, order: order, time: time)
        }
    }

    public func recordStarted(future: UInt64, worker: String) {
        let compact = withBuffer { buffer -> Bool in
            guard worker == buffer.thread else { return false }
            let (time, order) = clock.stamp()
            buffer.appendCompact(.init(order: order, time: time, future: future, payload: 0, kind: .started))
            return true
        }
        if !compact { record(.started(future: future, worker: worker)) }
    }

    public func recordReturnedVoid(future: UInt64) {
        stamped { buffer, time, order in
            buffer.appendCompact(.init(order: order, time: time, future: future, payload: 0, kind: .returnedVoid))
        }
    }

    public func recordFinished(future: UInt64, failed: Bool, outcome: any OutcomeSource) {
        // Retained until the buffer goes: the outcome is described when read.
        let pointer = UInt(bitPattern: Unmanaged.passRetained(outcome as AnyObject).toOpaque())
        stamped { buffer, time, order in
            buffer.appendCompact(.init(order: order, time: time, future: future, payload: pointer, kind: failed ? .raised : .returned))
        }
    }

    /// Runs `body` with the calling thread's buffer and a fresh stamp.
    @inline(__always)
    private func stamped(_ body: (ThreadBuffer, _ time: UInt64, _ order: UInt64) -> Void) {
        withBuffer { buffer in
            let (time, order) = clock.stamp()
            body(buffer, time, order)
        }
    }

    /// Runs `body` with the calling thread's buffer lent at +0: the recorder
    /// keeps every buffer alive, so no retain or release is needed per event.
    @inline(__always)
    private func withBuffer<R>(_ body: (ThreadBuffer) -> R) -> R {
        let cache = ThreadCache.current
        if cache.recorderID == id, let buffer = cache.buffer {
            return buffer._withUnsafeGuaranteedRef(body)
        }
        return body(newBuffer(cache))
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
        var merged: [(entry: ThreadBuffer.Entry, thread: String)] = []
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
        var fresh: [(entry: ThreadBuffer.Entry, thread: String, buffer: Int)] = []
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

    // MARK: - Per-thread buffers

    private func newBuffer(_ cache: ThreadCache) -> ThreadBuffer {
        let buffer = ThreadBuffer(thread: currentThread())
        registry.lock()
        buffers.append(buffer)
        registry.unlock()
        // The recorder keeps the buffer alive; the cache is checked by the
        // recorder's id (never reused) before the pointer is touched.
        cache.recorderID = id
        cache.buffer = Unmanaged.passUnretained(buffer)
        return buffer
    }
}

private let recorderIDs = Atomic<UInt64>(0)

/// One thread's events for one recorder.
///
/// The events of every task (submitted, started, finished) are stored as
/// fixed 40-byte records in chunks that never move: no enum, no string copies,
/// a third of the memory an enum entry takes (first-touch page faults were a
/// third of the recording cost). Its thread writes a record, then publishes the
/// count; readers take everything up to a published count. Rarer events, labels
/// and new executor names go to side tables under a lock that only a reader
/// ever contends for.
final class ThreadBuffer: @unchecked Sendable {
    // @unchecked: `chunks`, `strings` and `generic` change only under `word`
    // (the buffer's thread reads them without it, being their only writer); a
    // record is written before `count` publishes it and never changes after;
    // `lastExecutor` is only touched by the buffer's thread.
    enum Kind: UInt8 {
        case generic, submitted, started, returned, raised, returnedVoid
    }

    /// A plain record. `payload` by kind: generic → index in `generic`;
    /// submitted → executor's index in `strings` << 32 | (label's index + 1,
    /// or 0); returned / raised → the retained outcome source's address.
    struct Record {
        var order: UInt64
        var time: UInt64
        var future: UInt64
        var payload: UInt
        var kind: Kind
    }

    /// A record made readable.
    struct Entry {
        var order: UInt64
        var time: UInt64
        var event: CoreEvent
    }

    static let chunkSize = 8192
    let thread: String
    private let word = Atomic<UInt32>(0)
    private let count = Atomic<Int>(0)
    private var chunks: [UnsafeMutablePointer<Record>] = []
    private var strings: [String] = []
    private var generic: [CoreEvent] = []
    private var lastExecutor: (name: String, index: UInt)?

    init(thread: String) {
        self.thread = thread
    }

    deinit {
        var left = count.load(ordering: .acquiring)
        for chunk in chunks {
            let used = min(left, Self.chunkSize)
            for record in UnsafeBufferPointer(start: chunk, count: used)
            where record.kind == .returned || record.kind == .raised {
                Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(bitPattern: record.payload)!).release()
            }
            chunk.deallocate()
            left -= used
        }
    }

    // MARK: - Writing (the buffer's thread only)

    func appendCompact(_ record: Record) {
        let index = count.load(ordering: .relaxed)
        let (chunk, slot) = index.quotientAndRemainder(dividingBy: Self.chunkSize)
        if chunk == chunks.count {
            let fresh = UnsafeMutablePointer<Record>.allocate(capacity: Self.chunkSize)
            withLock { chunks.append(fresh) }
        }
        (chunks[chunk] + slot).initialize(to: record)
        count.store(index + 1, ordering: .releasing)
    }

    func appendGeneric(_ event: CoreEvent, order: UInt64, time: UInt64) {
        let index = withLock {
            generic.append(event)
            return UInt(generic.count - 1)
        }
        appendCompact(Record(order: order, time: time, future: 0, payload: index, kind: .generic))
    }

    func appendSubmitted(future: UInt64, executor: String, label: String?, order: UInt64, time: UInt64) {
        let executorIndex: UInt
        if let last = lastExecutor, last.name == executor {
            executorIndex = last.index
        } else {
            executorIndex = intern(executor)
            lastExecutor = (executor, executorIndex)
        }
        let labelIndex = label.map { intern($0) + 1 } ?? 0
        appendCompact(Record(order: order, time: time, future: future, payload: executorIndex << 32 | labelIndex, kind: .submitted))
    }

    private func intern(_ text: String) -> UInt {
        withLock {
            strings.append(text)
            return UInt(strings.count - 1)
        }
    }

    // MARK: - Reading

    func entries(from first: Int = 0) -> [Entry] {
        let (records, strings, generic) = withLock { () -> ([Record], [String], [CoreEvent]) in
            let total = count.load(ordering: .acquiring)
            var records: [Record] = []
            records.reserveCapacity(max(0, total - first))
            var index = first
            while index < total {
                let chunk = chunks[index / Self.chunkSize]
                let offset = index % Self.chunkSize
                let used = min(total - index, Self.chunkSize - offset)
                records.append(contentsOf: UnsafeBufferPointer(start: chunk + offset, count: used))
                index += used
            }
            return (records, self.strings, self.generic)
        }
        return records.map { record in
            Entry(order: record.order, time: record.time, event: event(of: record, strings: strings, generic: generic))
        }
    }

    private func event(of record: Record, strings: [String], generic: [CoreEvent]) -> CoreEvent {
        switch record.kind {
        case .generic:
            return generic[Int(record.payload)]
        case .submitted:
            let labelIndex = Int(record.payload & 0xFFFF_FFFF)
            return .submitted(
                future: record.future, executor: strings[Int(record.payload >> 32)],
                label: labelIndex == 0 ? nil : strings[labelIndex - 1])
        case .started:
            return .started(future: record.future, worker: thread)
        case .returnedVoid:
            return .returned(future: record.future, outcome: .void)
        case .returned, .raised:
            let object = Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(bitPattern: record.payload)!).takeUnretainedValue()
            let outcome = TracedOutcome(object as! any OutcomeSource)
            return record.kind == .returned
                ? .returned(future: record.future, outcome: outcome)
                : .raised(future: record.future, outcome: outcome)
        }
    }

    private func withLock<R>(_ body: () -> R) -> R {
        while !word.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
            sched_yield()
        }
        defer { word.store(0, ordering: .releasing) }
        return body()
    }
}

/// The calling thread's last (recorder, buffer) pair.
private final class ThreadCache {
    var recorderID: UInt64 = 0
    var buffer: Unmanaged<ThreadBuffer>?

    static var current: ThreadCache {
        @inline(__always) get {
            if let raw = pthread_getspecific(cacheKey) {
                return Unmanaged<ThreadCache>.fromOpaque(raw).takeUnretainedValue()
            }
            return make()
        }
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
