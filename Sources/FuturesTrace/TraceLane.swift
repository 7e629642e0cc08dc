import CFuturesShim
import FuturesTraceSchema
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One thread's events for one recorder: where that thread writes, without
/// waiting for any other.
///
/// The events of every task (submitted, started, finished) are stored as
/// fixed 32-byte records in chunks that never move: no enum, no string
/// copies. Its thread writes a record, then publishes the count; readers take
/// everything up to a published count. Rarer events, labels and new executor
/// names go to side tables under a lock that only a reader ever contends for.
///
/// A pool's worker holds its lane for its whole life and records through it
/// directly (`started`, `returnedVoid`, `finished`): no thread-local lookup,
/// no call through the sink's existential, no retain per event. With a clock
/// that reads the TSC (`TraceClock.readsTicks`) the stamp is one inlined
/// `rdtsc`, no closure call.
public final class TraceLane: @unchecked Sendable {
    // @unchecked: `chunks`, `strings` and `generic` change only under `word`
    // (the lane's thread reads them without it, being their only writer); a
    // record is written before `count` publishes it and never changes after;
    // `lastExecutor` and `retainsOutcomes` are only touched by the lane's
    // thread (and `deinit`, after every other reference is gone); the
    // clock's parts are immutable.
    enum Kind: UInt8 {
        case generic, submitted, started, returned, raised, returnedVoid
    }

    /// A plain record. `payload` by kind: generic → index in `generic`;
    /// submitted → executor's index in `strings` << 32 | (label's index + 1,
    /// or 0); returned / raised → the retained outcome source's address.
    struct Record {
        var order: UInt64
        var time: UInt64
        /// The future's id in the low 56 bits, the kind in the top 8.
        var word: UInt64
        var payload: UInt

        init(order: UInt64, time: UInt64, future: UInt64, payload: UInt, kind: Kind) {
            self.order = order
            self.time = time
            self.word = future & Self.futureMask | UInt64(kind.rawValue) << 56
            self.payload = payload
        }

        static let futureMask: UInt64 = (1 << 56) - 1
        var future: UInt64 { word & Self.futureMask }
        var kind: Kind { Kind(rawValue: UInt8(truncatingIfNeeded: word >> 56)) ?? .generic }
    }

    /// A record made readable.
    struct Entry {
        var order: UInt64
        var time: UInt64
        var event: CoreEvent
    }

    static var chunkSize: Int { RecordChunks.recordsPerChunk }
    /// The name of the lane's thread, as events name it.
    public let thread: String
    private let readsTicks: Bool
    private let stampClosure: @Sendable () -> (time: UInt64, order: UInt64)
    private let word = Atomic<UInt32>(0)
    private let count = Atomic<Int>(0)
    private var chunks: [UnsafeMutablePointer<Record>] = []
    private var strings: [String] = []
    private var generic: [CoreEvent] = []
    private var lastExecutor: (name: String, index: UInt)?
    /// Some record holds a retained outcome (else the lane's end need not
    /// look at its records).
    private var retainsOutcomes = false

    init(thread: String, clock: TraceClock) {
        self.thread = thread
        self.readsTicks = clock.readsTicks
        self.stampClosure = clock.stamp
    }

    deinit {
        var left = count.load(ordering: .acquiring)
        for chunk in chunks {
            let used = min(left, Self.chunkSize)
            if retainsOutcomes {
                for record in UnsafeBufferPointer(start: chunk, count: used)
                where record.kind == .returned || record.kind == .raised {
                    Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(bitPattern: record.payload)!).release()
                }
            }
            RecordChunks.give(UnsafeMutableRawPointer(chunk))
            left -= used
        }
    }

    // MARK: - Writing (the lane's thread only)

    /// The stamp of an event now: an inlined TSC read for a native clock.
    @inline(__always)
    func stamp() -> (time: UInt64, order: UInt64) {
        if readsTicks {
            let tick = fl_ticks()
            return (tick, tick)
        }
        return stampClosure()
    }

    /// The worker of this lane started `future`.
    @inline(__always)
    public func started(future: UInt64) {
        let (time, order) = stamp()
        appendCompact(Record(order: order, time: time, future: future, payload: 0, kind: .started))
    }

    /// `future`, run on this lane's thread, returned `Void`.
    @inline(__always)
    public func returnedVoid(future: UInt64) {
        let (time, order) = stamp()
        appendCompact(Record(order: order, time: time, future: future, payload: 0, kind: .returnedVoid))
    }

    /// `future` finished with the outcome `outcome` describes (kept alive
    /// until the lane goes: it is described when the trace is read).
    public func finished(future: UInt64, failed: Bool, outcome: any OutcomeSource) {
        let pointer = UInt(bitPattern: Unmanaged.passRetained(outcome as AnyObject).toOpaque())
        retainsOutcomes = true
        let (time, order) = stamp()
        appendCompact(Record(order: order, time: time, future: future, payload: pointer, kind: failed ? .raised : .returned))
    }

    @inline(__always)
    func appendCompact(_ record: Record) {
        let index = count.load(ordering: .relaxed)
        let (chunk, slot) = index.quotientAndRemainder(dividingBy: Self.chunkSize)
        if chunk == chunks.count { addChunk() }
        (chunks[chunk] + slot).initialize(to: record)
        count.store(index + 1, ordering: .releasing)
    }

    @inline(never)
    private func addChunk() {
        let fresh = RecordChunks.take().bindMemory(to: Record.self, capacity: Self.chunkSize)
        withLock { chunks.append(fresh) }
    }

    func appendGeneric(_ event: CoreEvent) {
        let index = withLock {
            generic.append(event)
            return UInt(generic.count - 1)
        }
        let (time, order) = stamp()
        appendCompact(Record(order: order, time: time, future: 0, payload: index, kind: .generic))
    }

    func appendSubmitted(future: UInt64, executor: String, label: String?) {
        let executorIndex: UInt
        if let last = lastExecutor, last.name == executor {
            executorIndex = last.index
        } else {
            executorIndex = intern(executor)
            lastExecutor = (executor, executorIndex)
        }
        let labelIndex = label.map { intern($0) + 1 } ?? 0
        let (time, order) = stamp()
        appendCompact(Record(order: order, time: time, future: future, payload: executorIndex << 32 | labelIndex, kind: .submitted))
    }

    private func intern(_ text: String) -> UInt {
        withLock {
            strings.append(text)
            return UInt(strings.count - 1)
        }
    }

    // MARK: - Reading

    /// Events published so far.
    var published: Int { count.load(ordering: .acquiring) }

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

/// The memory lanes store records in: chunks of 256 KiB, mapped with their
/// pages already present, and kept for the next recorder when a lane goes.
///
/// First-touch page faults were a tenth of what tracing cost (a fault per
/// 128 records, each a trip through the kernel); a chunk mapped with
/// `MAP_POPULATE` takes its 64 pages in one call, and a chunk given back is
/// reused as it is (up to `keptLimit`: a run after a run — a benchmark's
/// repeats, a classroom's reruns — records into memory already there).
enum RecordChunks {
    static let recordsPerChunk = 8192
    static let bytesPerChunk = recordsPerChunk * MemoryLayout<TraceLane.Record>.stride
    /// Chunks kept for reuse at most (16 MiB).
    static let keptLimit = 64

    /// Addresses of the chunks kept.
    private static let kept = KeptChunks()

    /// The kept chunks' addresses under the project's pthread lock, whose
    /// ordering ThreadSanitizer sees (it reported Synchronization.Mutex's
    /// accesses from two lanes' threads as a race).
    private final class KeptChunks: @unchecked Sendable {
        // @unchecked: `addresses` is only touched under `lock`.
        private let lock = PThreadLock()
        private var addresses: [UInt] = []

        func withLock<R>(_ body: (inout [UInt]) -> R) -> R {
            lock.lock()
            defer { lock.unlock() }
            return body(&addresses)
        }
    }

    static func take() -> UnsafeMutableRawPointer {
        if let address = kept.withLock({ $0.popLast() }), let chunk = UnsafeMutableRawPointer(bitPattern: address) {
            return chunk
        }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE | MAP_ANON
        #endif
        let mapped = mmap(nil, bytesPerChunk, PROT_READ | PROT_WRITE, flags, -1, 0)
        guard let mapped, mapped != MAP_FAILED else {
            // As any allocation that fails: the process cannot go on.
            fatalError("out of memory for trace records (mmap of \(bytesPerChunk) bytes: \(String(cString: strerror(errno))))")
        }
        return mapped
    }

    static func give(_ chunk: UnsafeMutableRawPointer) {
        let keptIt = kept.withLock { chunks -> Bool in
            guard chunks.count < keptLimit else { return false }
            chunks.append(UInt(bitPattern: chunk))
            return true
        }
        if !keptIt { munmap(chunk, bytesPerChunk) }
    }
}
