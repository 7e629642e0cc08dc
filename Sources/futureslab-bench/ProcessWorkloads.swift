import CFuturesShim
import FuturesCore
import FuturesProcess

/// Process-pool workloads: the same shapes as CPython's in CPythonBaseline
/// (square() on 2 workers, chunksize 1).
enum ProcessWorkloads {
    static func submitWaitPerSecond(tasks: Int, workers: Int) throws -> Double {
        let pool = try ProcessPoolExecutor(maxWorkers: workers)
        defer { pool.shutdown(wait: true) }
        // Warm up: both processes started.
        _ = try (0..<workers * 4).map { try pool.submit(StandardTasks.square, $0) }.map { try $0.result() }
        var futures: [Future<Int>] = []
        futures.reserveCapacity(tasks)
        let start = fl_monotonic_ns()
        for index in 0..<tasks { futures.append(try pool.submit(StandardTasks.square, index)) }
        let outcome = try wait(futures)
        let elapsed = fl_monotonic_ns() - start
        let last = try futures.last?.result()
        precondition(outcome.notDone.isEmpty && last == (tasks - 1) * (tasks - 1))
        return Double(tasks) / (Double(elapsed) / 1e9)
    }

    /// `map` of square() over `tasks` integers in chunks of `chunksize`
    /// (64: CPython's advice for many small calls), all results collected.
    static func mapChunkedPerSecond(tasks: Int, workers: Int, chunksize: Int = 64) throws -> Double {
        let pool = try ProcessPoolExecutor(maxWorkers: workers)
        defer { pool.shutdown(wait: true) }
        _ = try (0..<workers * 4).map { try pool.submit(StandardTasks.square, $0) }.map { try $0.result() }
        let items = Array(0..<tasks)
        let start = fl_monotonic_ns()
        let results = try pool.map(StandardTasks.square, items, chunksize: chunksize).collect()
        let elapsed = fl_monotonic_ns() - start
        precondition(results.count == tasks && results.last == (tasks - 1) * (tasks - 1))
        return Double(tasks) / (Double(elapsed) / 1e9)
    }

    static func roundTripMedian(count: Int, workers: Int) throws -> Double {
        let pool = try ProcessPoolExecutor(maxWorkers: workers)
        defer { pool.shutdown(wait: true) }
        for index in 0..<200 { _ = try pool.submit(StandardTasks.square, index).result() }
        var samples: [UInt64] = []
        samples.reserveCapacity(count)
        for index in 0..<count {
            let start = fl_monotonic_ns()
            _ = try pool.submit(StandardTasks.square, index).result()
            samples.append(fl_monotonic_ns() - start)
        }
        samples.sort()
        return Double(samples[samples.count / 2]) / 1000
    }
}
