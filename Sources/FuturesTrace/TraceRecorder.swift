#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sink that wants the runtime's clock and the name of the recording thread.
/// Runtimes attach themselves to such a sink when they are created with it.
public protocol RuntimeAttachedSink: TraceSink {
    /// - Parameters:
    ///   - header: what the runtime is (kind, clock, seed, strategy, cores).
    ///   - clock: nanoseconds since the run began, on the runtime's clock.
    ///   - currentThread: the name of the calling thread.
    func attach(header: TraceHeader, clock: @escaping @Sendable () -> UInt64, currentThread: @escaping @Sendable () -> String)
}

/// Records core events in memory, stamped with a sequence number, the run's
/// time and the recording thread; writes them as a trace file.
///
/// One lock and one append per event: cheap enough for traced runs of
/// scenarios; `docs/benchmarks.md` measures what it costs a thread pool.
public final class TraceRecorder: RuntimeAttachedSink, @unchecked Sendable {
    // @unchecked: `header`, `clock`, `currentThread` are set once by `attach`
    // before the runtime records anything; `entries` is only touched under `lock`.
    private let lock = PThreadLock()
    private var entries: [(nanoseconds: UInt64, thread: String, event: CoreEvent)] = []
    private var header: TraceHeader
    private var clock: @Sendable () -> UInt64 = { 0 }
    private var currentThread: @Sendable () -> String = { "" }

    /// - Parameter program: the scenario or program name for the header.
    public init(program: String) {
        header = TraceHeader(program: program, runtime: "unknown", clock: "wall")
    }

    public func attach(header: TraceHeader, clock: @escaping @Sendable () -> UInt64, currentThread: @escaping @Sendable () -> String) {
        var header = header
        header.program = self.header.program
        self.header = header
        self.clock = clock
        self.currentThread = currentThread
    }

    public func record(_ event: CoreEvent) {
        let thread = currentThread()
        lock.lock()
        // Stamped under the lock, so times never go backwards along `seq`.
        entries.append((clock(), thread, event))
        lock.unlock()
    }

    /// The header and every event so far, as trace lines.
    public var trace: (header: TraceHeader, events: [TraceEvent]) {
        lock.lock()
        let snapshot = entries
        let header = self.header
        lock.unlock()
        let events = snapshot.enumerated().map { index, entry in
            TraceEvent(seq: index + 1, nanoseconds: entry.nanoseconds, thread: entry.thread, event: entry.event)
        }
        return (header, events)
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
}

/// A trace file could not be written or read.
public struct TraceFileError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// A `pthread_mutex_t` at a stable address, for the recorder's event list.
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
