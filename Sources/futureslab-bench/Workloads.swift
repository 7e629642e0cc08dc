import CFuturesShim
import FuturesCore

/// Our side of the benchmark. Each workload builds a fresh executor before its
/// timer starts; throughput is tasks / time from the first submit to the last
/// completion (the method of shared/reference/perf-anchors.md).
enum Workloads {
    /// `tasks` no-op submits, then `wait` for all of them; on `runtime` (for
    /// instance a traced one) or the caller's.
    /// `spin`: nanoseconds each task spends busy (0: a no-op).
    static func submitWaitPerSecond(tasks: Int, workers: Int, runtime: (any Runtime)? = nil, spin: UInt64 = 0) throws -> Double {
        let pool = try ThreadPoolExecutor(maxWorkers: workers, runtime: runtime)
        defer { pool.shutdown(wait: true) }
        var futures: [Future<Void>] = []
        futures.reserveCapacity(tasks)
        let start = fl_monotonic_ns()
        if spin == 0 {
            for _ in 0..<tasks { futures.append(try pool.submit {}) }
        } else {
            for _ in 0..<tasks {
                futures.append(try pool.submit {
                    let end = fl_monotonic_ns() + spin
                    while fl_monotonic_ns() < end {}
                })
            }
        }
        let outcome = try wait(futures)
        let elapsed = fl_monotonic_ns() - start
        precondition(outcome.notDone.isEmpty && outcome.done.count == tasks)
        return Double(tasks) / (Double(elapsed) / 1e9)
    }

    /// `map` of the identity over `tasks` integers, all results collected.
    static func mapPerSecond(tasks: Int, workers: Int) throws -> Double {
        let pool = try ThreadPoolExecutor(maxWorkers: workers)
        defer { pool.shutdown(wait: true) }
        let start = fl_monotonic_ns()
        let results = try pool.map({ $0 }, 0..<tasks).collect()
        let elapsed = fl_monotonic_ns() - start
        precondition(results.count == tasks && results.last == tasks - 1)
        return Double(tasks) / (Double(elapsed) / 1e9)
    }

    /// Submit one no-op, then `result()`, `count` times in a row; µs per trip.
    static func roundTrip(count: Int, workers: Int) throws -> (median: Double, p99: Double) {
        let pool = try ThreadPoolExecutor(maxWorkers: workers)
        defer { pool.shutdown(wait: true) }
        for _ in 0..<1_000 { try pool.submit {}.result() }
        var samples: [UInt64] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let start = fl_monotonic_ns()
            try pool.submit {}.result()
            samples.append(fl_monotonic_ns() - start)
        }
        samples.sort()
        let median = Double(samples[samples.count / 2]) / 1000
        let p99 = Double(samples[min(samples.count - 1, samples.count * 99 / 100)]) / 1000
        return (median, p99)
    }

    /// Resident-memory growth per future while `count` submitted no-ops wait in
    /// the queue of a one-worker pool whose worker is blocked.
    static func bytesPerPendingFuture(count: Int) throws -> Double {
        let pool = try ThreadPoolExecutor(maxWorkers: 1)
        let gate = Future<Void>()
        let blocker = try pool.submit { try gate.result() }
        while !blocker.isRunning {}
        let before = fl_resident_bytes()
        var futures: [Future<Void>] = []
        futures.reserveCapacity(count)
        let arrayBytes = count * MemoryLayout<Future<Void>>.stride
        for _ in 0..<count {
            futures.append(try pool.submit {})
        }
        let after = fl_resident_bytes()
        try gate.setResult(())
        pool.shutdown(wait: true)
        // The caller's array of references is the benchmark's, not the future's.
        return (Double(after) - Double(before) - Double(arrayBytes)) / Double(count)
    }

    /// Heap bytes (malloc's own count, so reuse of freed memory does not hide
    /// them) per bare `Future<Void>()`.
    static func heapBytesPerBareFuture(count: Int) -> Double {
        var futures: [Future<Void>] = []
        futures.reserveCapacity(count)
        let before = fl_heap_bytes_in_use()
        for _ in 0..<count { futures.append(Future<Void>()) }
        let after = fl_heap_bytes_in_use()
        withExtendedLifetime(futures) {}
        return (Double(after) - Double(before)) / Double(count)
    }

    /// `asCompleted` over `count` finished futures: µs per future yielded.
    static func asCompletedMicroseconds(count: Int) throws -> Double {
        var futures: [Future<Int>] = []
        futures.reserveCapacity(count)
        for index in 0..<count {
            let future = Future<Int>()
            try future.setResult(index)
            futures.append(future)
        }
        let start = fl_monotonic_ns()
        let yielded = try asCompleted(futures).collect()
        let elapsed = fl_monotonic_ns() - start
        precondition(yielded.count == count)
        return Double(elapsed) / 1000 / Double(count)
    }
}
