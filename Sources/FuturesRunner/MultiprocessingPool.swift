import FuturesCore
import FuturesScenario
import FuturesSync

/// `multiprocessing.pool.ThreadPool` and `multiprocessing.Pool` on the
/// core's executors: every worker started when the pool is made, calls
/// queued with `apply_async` / `map_async`, and Python's life cycle —
/// `close` (no more calls), `terminate` (calls not started never run, and no
/// result not yet ready ever becomes ready), `join` (after either).
final class MultiprocessingPool: @unchecked Sendable {
    // @unchecked: `state` and `results` are behind their locks; the rest is set in init.
    enum State { case run, close, terminate }

    let name: String
    /// `ThreadPool` or `Pool`, as Python's errors name the class.
    let pythonClass: String
    let executor: any Executor
    private let state = Locked(State.run)
    private let results = Locked<[AsyncResult]>([])

    init(name: String, pythonClass: String, executor: any Executor) {
        self.name = name
        self.pythonClass = pythonClass
        self.executor = executor
    }

    /// `apply_async` and `map_async` on a pool that is not running raise this.
    func checkRunning() throws {
        guard state.read({ $0 }) == .run else { throw ScenarioRaised(type: "ValueError", message: "Pool not running") }
    }

    /// Keeps `result`, so that `terminate` can abandon it.
    func track(_ result: AsyncResult) {
        results.write { $0.append(result) }
    }

    func close() {
        state.write { if $0 == .run { $0 = .close } }
    }

    func terminate() {
        state.write { $0 = .terminate }
        for result in results.read({ $0 }) where !result.ready { result.abandon() }
        executor.shutdown(wait: false, cancelFutures: true)
    }

    /// Waits for the workers to exit; a running pool raises Python's error.
    func join() throws {
        guard state.read({ $0 }) != .run else { throw ScenarioRaised(type: "ValueError", message: "Pool is still running") }
        executor.shutdown(wait: true, cancelFutures: false)
    }
}

/// `multiprocessing.pool.ApplyResult` (one call) or `MapResult` (one call an item).
final class AsyncResult: FutureReference {
    // Sendable: `abandoned` is behind its lock; the rest is set in init and only read.
    let futures: [ScenarioFuture]
    let isMap: Bool
    let label: String
    /// Set by `terminate` while it was not ready: it never will be.
    private let abandoned = Locked(false)

    init(futures: [ScenarioFuture], isMap: Bool, label: String) {
        self.futures = futures
        self.isMap = isMap
        self.label = label
    }

    var typeName: String { isMap ? "MapResult" : "ApplyResult" }

    /// Python prints the object's address; this names the call instead, so
    /// runs stay comparable: `<multiprocessing.pool.ApplyResult sleep_for(2)>`.
    var repr: String { "<multiprocessing.pool.\(typeName) \(label)>" }

    var state: String {
        guard ready else { return "pending" }
        return futures.contains { $0.state == "raised" } ? "raised" : "finished"
    }

    func abandon() { abandoned.write { $0 = true } }

    /// `r.ready()`.
    var ready: Bool { !abandoned.read({ $0 }) && futures.allSatisfy { $0.future.isDone } }

    /// `r.successful()`: before it is ready, Python's ValueError.
    func successful() throws -> Bool {
        guard ready else { throw ScenarioRaised(type: "ValueError", message: "\(repr) not ready") }
        return !futures.contains { $0.state == "raised" }
    }

    /// `r.wait(timeout)`: until ready or the timeout; raises nothing.
    func wait(timeout: Duration?) {
        _ = try? waitReady(until: currentRuntime.deadline(after: timeout))
    }

    /// `r.get(timeout)`: the value (a map's list), the call's error, or
    /// `TimeoutError()` after the timeout. An abandoned result waits for ever,
    /// as Python's does (a deterministic run reports the deadlock).
    func get(timeout: Duration?) throws -> Value {
        let deadline = currentRuntime.deadline(after: timeout)
        guard try waitReady(until: deadline) else { throw TimeoutError() }
        let values = try futures.map { try $0.future.result(timeout: .zero) }
        return isMap ? .list(values) : values[0]
    }

    /// Whether it became ready by `deadline` (nil: no deadline).
    private func waitReady(until deadline: RuntimeInstant?) throws -> Bool {
        if abandoned.read({ $0 }) {
            // Never ready: wait out the timeout, or for ever (an event nobody sets).
            let never = Event(name: "\(repr) (its pool was terminated)")
            return try never.wait(timeout: deadline.map { currentRuntime.now().duration(until: $0) })
        }
        for scenarioFuture in futures {
            let remaining = deadline.map { currentRuntime.now().duration(until: $0) }
            if let remaining, remaining <= .zero, !scenarioFuture.future.isDone { return false }
            do {
                _ = try scenarioFuture.future.exception(timeout: remaining)
            } catch is TimeoutError {
                return false
            }
        }
        return true
    }
}
