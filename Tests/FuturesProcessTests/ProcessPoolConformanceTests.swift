import Foundation
import FuturesCore
import FuturesProcess
import Testing

/// futures-checklist.md, section K: ProcessPoolExecutor — over real worker
/// processes and simulated ones (deterministic runtime).
@Suite("K. ProcessPoolExecutor")
struct ProcessPoolConformanceTests {
    @Test("K77 default max_workers is the CPU count; ≤ 0 raises 'max_workers must be greater than 0'", arguments: PoolKind.allCases)
    func k77(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool()
            #expect(pool.maxWorkers == ProcessInfo.processInfo.activeProcessorCount)
            pool.shutdown(wait: true)
            for bad in [0, -1] {
                #expect(throws: ValueError("max_workers must be greater than 0")) { try kind.pool(maxWorkers: bad) }
            }
        }
    }

    @Test("K78 max_tasks_per_child must be ≥ 1", arguments: PoolKind.allCases)
    func k78(kind: PoolKind) throws {
        try kind.run { () throws in
            #expect(throws: ValueError("max_tasks_per_child must be >= 1")) { try kind.pool(maxWorkers: 1, maxTasksPerChild: 0) }
        }
    }

    @Test("K79 one worker, max_tasks_per_child 3: tasks 1–3 share a pid, task 4 gets a new one; never more than max processes", arguments: PoolKind.allCases)
    func k79(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 1, maxTasksPerChild: 3)
            var pids: [Int32] = []
            for index in 0..<4 {
                pids.append(try pool.submit(StandardTasks.getpid, index).result(timeout: .seconds(120)))
                #expect(pool.workerPids.count <= 1)
            }
            #expect(Set(pids[0..<3]).count == 1)
            #expect(pids[3] != pids[0])
            pool.shutdown(wait: true)
        }
    }

    @Test("K81 processes start on demand: 3 blocked tasks → 3 processes; sequential tasks reuse one", arguments: PoolKind.allCases)
    func k81(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 4)
            for index in 0..<5 { _ = try pool.submit(StandardTasks.square, index).result(timeout: .seconds(120)) }
            #expect(pool.workerPids.count == 1)
            let blocked = try (0..<3).map { _ in try pool.submit(StandardTasks.sleep, 0.5) }
            let pids = Set(try (0..<3).map { _ in 0 }.map { _ in try pool.submit(StandardTasks.getpid, 0) }.map { try $0.result(timeout: .seconds(120)) })
            _ = try blocked.map { try $0.result(timeout: .seconds(120)) }
            #expect(pool.workerPids.count <= 4)
            #expect(pool.workerPids.count >= 3)
            #expect(!pids.isEmpty)
            pool.shutdown(wait: true)
        }
    }

    @Test("K82/K83 a worker that dies: pending futures raise BrokenProcessPool naming the exit code; later submits raise 'not usable'", arguments: PoolKind.allCases)
    func k82(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            let dying = try pool.submit(StandardTasks.hardExit, 99)
            let error = try #require(dying.exception(timeout: .seconds(120)) as? BrokenProcessPool)
            #expect(error.message == "A process in the process pool was terminated abruptly while the future was running or pending.")
            #expect(error.cause == "terminated abruptly with exit code 99")
            #expect(throws: BrokenProcessPool.self) { try pool.submit(StandardTasks.square, 3) }
            do {
                _ = try pool.submit(StandardTasks.square, 3)
            } catch let broken as BrokenProcessPool {
                #expect(broken.message == "A child process terminated abruptly, the process pool is not usable anymore")
            }
            pool.shutdown(wait: true)
        }
    }

    @Test("K84 errors raised in a worker keep their type and message; others come back as RemoteError with the worker's traceback", arguments: PoolKind.allCases)
    func k84(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 1)
            let value = try pool.submit(StandardTasks.raise, "bad value").exception(timeout: .seconds(120))
            #expect(value as? ValueError == ValueError("bad value"))
            let remote = try #require(try pool.submit(StandardTasks.fail, "out of luck").exception(timeout: .seconds(120)) as? RemoteError)
            #expect(remote.type == "TaskFailure")
            #expect(remote.message == "out of luck")
            #expect(remote.traceback.contains("worker process"))
            #expect(try pool.submit(StandardTasks.square, 7).result(timeout: .seconds(120)) == 49, "the pool is still usable")
            pool.shutdown(wait: true)
        }
    }

    @Test("K85 chunksize < 1 raises; chunks of 6, 40, 50 over 40 items give the plain map result; one failure fails its whole chunk", arguments: PoolKind.allCases)
    func k85(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            #expect(throws: ValueError("chunksize must be >= 1.")) { try pool.map(StandardTasks.square, [1, 2], chunksize: 0) }
            let items = Array(0..<40)
            let expected = items.map { $0 * $0 }
            for size in [1, 6, 40, 50] {
                #expect(try pool.map(StandardTasks.square, items, timeout: .seconds(60), chunksize: size).collect() == expected)
            }
            // Item 7 fails: with chunks of 5, items 5–9 fail together; 0–4 succeed.
            let words = (0..<12).map { $0 == 7 ? "boom" : "" }
            let results = try pool.map(StandardTasks.initializer, words, timeout: .seconds(60), chunksize: 5)
            for _ in 0..<5 { #expect(try results.next() == 0) }
            #expect(throws: ValueError("boom")) { try results.next() }
            pool.shutdown(wait: true)
        }
    }

    @Test("K86 an initializer that fails in a worker breaks the pool", arguments: PoolKind.allCases)
    func k86(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 1, initializer: try ProcessInitializer(StandardTasks.initializer, "no config"))
            let future = try pool.submit(StandardTasks.square, 2)
            #expect(try future.exception(timeout: .seconds(120)) is BrokenProcessPool)
            #expect(throws: BrokenProcessPool.self) { try pool.submit(StandardTasks.square, 2) }
            pool.shutdown(wait: true)
            let good = try kind.pool(maxWorkers: 1, initializer: try ProcessInitializer(StandardTasks.initializer, ""))
            #expect(try good.submit(StandardTasks.square, 3).result(timeout: .seconds(120)) == 9)
            good.shutdown(wait: true)
        }
    }

    @Test("a closure cannot be sent to a process pool: its future fails with PicklingError", arguments: PoolKind.allCases)
    func closures(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 1)
            #expect(try pool.submit { 42 }.exception() is PicklingError)
            pool.shutdown(wait: true)
        }
    }

    @Test("shutdown: cancel_futures cancels what was not sent; wait returns with every worker reaped; no zombies", arguments: PoolKind.allCases)
    func shutdown(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 1)
            let first = try pool.submit(StandardTasks.sleep, 0.3)
            let rest = try (0..<6).map { _ in try pool.submit(StandardTasks.square, 2) }
            currentRuntime.sleep(for: .milliseconds(100))  // the first call is running
            pool.shutdown(wait: true, cancelFutures: true)
            #expect(try first.result() == 0.3)
            #expect(rest.suffix(4).allSatisfy { $0.isCancelled }, "the calls still queued are cancelled")
            #expect(pool.workerPids.isEmpty)
            #expect(throws: RuntimeError.cannotScheduleAfterShutdown) { try pool.submit(StandardTasks.square, 1) }
        }
        #expect(zombieChildren().isEmpty)
    }
}
