#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pool of real threads that runs submitted calls: CPython's
/// `ThreadPoolExecutor`, with the same observable behaviour.
///
/// - Workers start lazily: `submit` hands the call to a free worker if there is
///   one and starts a thread only if none is free and fewer than `maxWorkers`
///   run (60 blocked calls with `maxWorkers: 4` start exactly 4 threads; three
///   `submit(…).result()` in a row start one).
/// - Threads are named `<prefix>_<n>`; the default prefix is
///   `ThreadPoolExecutor-<k>` from a counter shared by all pools.
/// - An initializer runs once per worker before any call; if it throws, the pool
///   is broken: queued futures fail with `BrokenThreadPool`, and so does `submit`.
/// - Dropping the last reference shuts the pool down without waiting: queued
///   calls still run, then the workers exit.
///
/// The shared state lives in `ThreadPoolCore`, which the workers hold; this
/// object is what the user holds, so its `deinit` means "nobody can submit any more".
public final class ThreadPoolExecutor: Executor {
    public let maxWorkers: Int
    public let threadNamePrefix: String
    let core: ThreadPoolCore

    /// - Parameters:
    ///   - maxWorkers: at most this many threads; `nil` means min(32, cores + 4).
    ///     Zero or less throws `ValueError("max_workers must be greater than 0")`.
    ///   - threadNamePrefix: names threads `<prefix>_<n>`; empty means
    ///     `ThreadPoolExecutor-<k>`.
    ///   - initializer: runs on each worker thread before its first call.
    ///   - runtime: whose threads and clock to use; by default the caller's.
    ///   - workerName: names the n-th worker (from 0) instead of the prefix
    ///     (`multiprocessing.pool.ThreadPool`'s `Thread-7 (worker)`).
    public init(
        maxWorkers: Int? = nil,
        threadNamePrefix: String = "",
        workerName: (@Sendable (Int) -> String)? = nil,
        initializer: (@Sendable () throws -> Void)? = nil,
        runtime: (any Runtime)? = nil
    ) throws {
        let maxWorkers = maxWorkers ?? Self.defaultMaxWorkers
        guard maxWorkers > 0 else {
            throw ValueError("max_workers must be greater than 0")
        }
        let runtime = runtime ?? ThreadContext.current.runtime
        self.maxWorkers = maxWorkers
        self.threadNamePrefix = threadNamePrefix.isEmpty
            ? "ThreadPoolExecutor-\(runtime.nextExecutorIndex())"
            : threadNamePrefix
        self.core = ThreadPoolCore(
            maxWorkers: maxWorkers,
            namePrefix: self.threadNamePrefix,
            workerName: workerName,
            initializer: initializer,
            runtime: runtime)
    }

    deinit {
        core.shutdown(wait: false, cancelFutures: false)
    }

    /// min(32, cores + 4): enough threads for I/O-bound work without
    /// exhausting a big machine (CPython 3.8+).
    public static var defaultMaxWorkers: Int {
        min(32, cpuCount + 4)
    }

    /// Online processors, like `os.cpu_count()`.
    public static var cpuCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public var runtime: any Runtime { core.runtime }

    public func submit<T: Sendable>(label: String?, _ call: @escaping @Sendable () throws -> T) throws -> Future<T> {
        try core.submit(label: label, call)
    }

    public func shutdown(wait: Bool, cancelFutures: Bool) {
        core.shutdown(wait: wait, cancelFutures: cancelFutures)
    }

    /// Starts all `maxWorkers` threads now (they wait for work).
    public func startAllWorkers() throws {
        try core.startAllWorkers()
    }

    /// How many worker threads this pool has started (Python's `len(_threads)`).
    public var threadCount: Int { core.threadCount }

    /// Worker threads started and not yet exited.
    public var liveWorkerCount: Int { core.liveWorkers }

    /// The names of the worker threads started so far, in start order.
    public var threadNames: [String] { core.threadNames }

    /// Whether an initializer failure broke the pool.
    public var isBroken: Bool { core.brokenMessage != nil }
}
