import Foundation
import FuturesCore
import FuturesTrace
import FuturesTraceSchema
#if canImport(Glibc)
import Glibc
#endif

/// CPython's `ProcessPoolExecutor`: calls run in worker processes — the same
/// binary, started with `ProcessWorker.argument` — so CPU-bound work runs in
/// parallel whatever the calling process does. Calls are registered
/// `ProcessTask`s with `Codable` arguments and results.
///
/// Workers start on demand (a call that finds none free starts one, up to
/// `maxWorkers`) and are reused; `maxTasksPerChild` replaces a worker after
/// that many calls. A worker that dies breaks the pool: every call not yet
/// answered fails with `BrokenProcessPool` naming the exit code or signal,
/// later submits throw it, and the other workers are stopped and reaped.
///
/// In the deterministic runtime the workers are simulated in-process (see
/// `SimulatedProcesses`), so timelines stay exact.
public final class ProcessPoolExecutor: Executor, @unchecked Sendable {
    // @unchecked: every stored property is a constant; the backends guard
    // their own state.
    public let runtime: any Runtime
    public let maxWorkers: Int
    public let maxTasksPerChild: Int?
    /// `ProcessPoolExecutor-<k>`; workers are `<name>_<n>`.
    public let name: String
    private let backend: any ProcessBackend

    /// - Parameters:
    ///   - maxWorkers: default: the number of CPUs. Zero or less throws
    ///     `ValueError("max_workers must be greater than 0")`.
    ///   - maxTasksPerChild: replace a worker after this many calls (≥ 1).
    ///   - initializer: a task each new worker runs first; if it fails, the
    ///     pool breaks.
    ///   - executable: the worker binary (default: this program, which must
    ///     call `ProcessWorker.runIfWorker()` at start-up).
    ///   - runtime: by default the caller's.
    public init(
        maxWorkers: Int? = nil,
        maxTasksPerChild: Int? = nil,
        initializer: ProcessInitializer? = nil,
        executable: String? = nil,
        runtime: (any Runtime)? = nil
    ) throws {
        let maxWorkers = maxWorkers ?? ProcessInfo.processInfo.activeProcessorCount
        guard maxWorkers > 0 else { throw ValueError("max_workers must be greater than 0") }
        if let maxTasksPerChild, maxTasksPerChild < 1 { throw ValueError("max_tasks_per_child must be >= 1") }
        let runtime = runtime ?? ThreadContext.current.runtime
        self.runtime = runtime
        self.maxWorkers = maxWorkers
        self.maxTasksPerChild = maxTasksPerChild
        self.name = "ProcessPoolExecutor-\(runtime.nextExecutorIndex())"
        if runtime.kind == .deterministic {
            backend = try SimulatedProcesses(executorName: name, maxWorkers: maxWorkers, maxTasksPerChild: maxTasksPerChild,
                                             initializer: initializer, runtime: runtime)
        } else {
            backend = ProcessPoolCore(executorName: name, maxWorkers: maxWorkers, maxTasksPerChild: maxTasksPerChild,
                                      executable: executable ?? Self.currentExecutable, initializer: initializer, runtime: runtime)
        }
    }

    deinit {
        backend.shutdown(wait: false, cancelFutures: false)
    }

    /// This program's own binary.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    // MARK: - Submitting tasks

    /// Runs `task(arguments)` in a worker process. An argument that cannot be
    /// encoded fails the returned future (`PicklingError`); the pool stays usable.
    public func submit<A, R>(_ task: ProcessTask<A, R>, _ arguments: A, label: String? = nil) throws -> Future<R> {
        let future = Future<R>()
        let label = label ?? "\(task.name)(\(arguments))"
        if future.id != 0 { ThreadContext.current.trace?.recordSubmitted(future: future.id, executor: name, label: label) }
        let data: Data
        do {
            data = try WireCodec.encode(arguments)
        } catch {
            try backend.checkUsable()
            _ = try? future.setRunningOrNotifyCancel(recordStart: false)
            try? future.setException(error)
            return future
        }
        let call = ProcessCall(id: backend.makeCallID(), name: task.name, arguments: [data], isChunk: false, future: future) { outcome in
            try Self.complete(future, with: outcome.map { $0[0] })
        }
        try backend.submit(call, label: label)
        return future
    }

    /// `executor.map(task, items, timeout=…, chunksize=…)`: results in input
    /// order. With `chunksize` > 1 the items go to workers in chunks, one call
    /// each; an error fails its whole chunk.
    public func map<A, R>(_ task: ProcessTask<A, R>, _ items: [A], timeout: Duration? = nil, chunksize: Int = 1) throws -> MapResults<R> {
        guard chunksize >= 1 else { throw ValueError("chunksize must be >= 1.") }
        let deadline = runtime.deadline(after: timeout)
        if chunksize == 1 {
            var futures: [Future<R>] = []
            do {
                for item in items { futures.append(try submit(task, item)) }
            } catch {
                for future in futures { future.cancel() }
                throw error
            }
            return MapResults(futures: futures, deadline: deadline, runtime: runtime)
        }
        var futures: [Future<R>] = []
        for start in stride(from: 0, to: items.count, by: chunksize) {
            let chunk = Array(items[start..<min(items.count, start + chunksize)])
            let members = chunk.map { _ in Future<R>() }
            futures.append(contentsOf: members)
            let encoded: [Data]
            do {
                encoded = try chunk.map { try WireCodec.encode($0) }
            } catch {
                for member in members {
                    _ = try? member.setRunningOrNotifyCancel(recordStart: false)
                    try? member.setException(error)
                }
                continue
            }
            // The chunk's call runs if any of its futures is still wanted.
            let gate = Future<Int>()
            let call = ProcessCall(id: backend.makeCallID(), name: task.name, arguments: encoded, isChunk: true, future: gate) { outcome in
                let values: Result<[R], any Error>
                var decodeFailure: (any Error)?
                switch outcome {
                case .success(let data):
                    do { values = .success(try data.map { try WireCodec.decode(R.self, from: $0) }) } catch {
                        decodeFailure = error
                        values = .failure(BrokenProcessPool.terminated(cause: "cannot decode a result in the parent: \(error)"))
                    }
                case .failure(let error): values = .failure(error)
                }
                for (index, member) in members.enumerated() where (try? member.setRunningOrNotifyCancel(recordStart: false)) == true {
                    switch values {
                    case .success(let results): try? member.setResult(results[index])
                    case .failure(let error): try? member.setException(error)
                    }
                }
                if let decodeFailure { throw decodeFailure }
            }
            try backend.submit(call, label: "\(task.name)[chunk of \(chunk.count)]")
        }
        return MapResults(futures: futures, deadline: deadline, runtime: runtime)
    }

    static func complete<R: Decodable>(_ future: Future<R>, with outcome: Result<Data, any Error>) throws {
        switch outcome {
        case .success(let data):
            let value: R
            do {
                value = try WireCodec.decode(R.self, from: data)
            } catch {
                try? future.setException(BrokenProcessPool.terminated(cause: "cannot decode the result in the parent: \(error)"))
                throw error
            }
            try? future.setResult(value)
        case .failure(let error):
            try? future.setException(error)
        }
    }

    // MARK: - Executor

    /// A closure cannot cross to another process (Python: "Can't pickle
    /// <lambda>"): the returned future fails with `PicklingError`.
    public func submit<T: Sendable>(label: String?, _ call: @escaping @Sendable () throws -> T) throws -> Future<T> {
        try backend.checkUsable()
        let future = Future<T>()
        _ = try? future.setRunningOrNotifyCancel(recordStart: false)
        try? future.setException(PicklingError("can't send a closure to a worker process: submit a registered ProcessTask"))
        return future
    }

    public func shutdown(wait: Bool, cancelFutures: Bool) {
        backend.shutdown(wait: wait, cancelFutures: cancelFutures)
    }

    /// Process ids of the workers alive now (simulated ids in the
    /// deterministic runtime).
    public var workerPids: [Int32] { backend.workerPids }
}

/// What runs a process pool's calls: real processes, or simulated ones.
protocol ProcessBackend: AnyObject, Sendable {
    func makeCallID() -> UInt64
    func submit(_ call: ProcessCall, label: String) throws
    func checkUsable() throws
    func shutdown(wait: Bool, cancelFutures: Bool)
    var workerPids: [Int32] { get }
}

extension ProcessPoolCore: ProcessBackend {
    func submit(_ call: ProcessCall, label: String) throws {
        try submit(call)
    }

    func checkUsable() throws {
        if let broken = isBroken { throw BrokenProcessPool.notUsable(cause: broken.cause) }
    }
}
