import Foundation
import FuturesCore
import FuturesProcess
import Testing

/// futures-checklist.md, section L: the crash matrix, adapted (encoding for
/// pickling), on a 2-worker pool. A timeout would count as a deadlock: every
/// wait here has one.
@Suite("L. Crash matrix")
struct CrashMatrixTests {
    // Generous: under ThreadSanitizer every worker process starts slowly, and the
    // suites run in parallel. A hang would still end the test.
    static let timeout = Duration.seconds(120)

    @Test("encoding the arguments fails in the parent: the encoding error, and the pool stays usable", arguments: PoolKind.allCases)
    func encodeArguments(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            let future = try pool.submit(StandardTasks.badArguments, .init(mode: .error, failsToEncode: true))
            #expect(try future.exception(timeout: Self.timeout) is PicklingError)
            #expect(try pool.submit(StandardTasks.square, 5).result(timeout: Self.timeout) == 25)
            pool.shutdown(wait: true)
        }
    }

    @Test("decoding the arguments fails in the worker (error, exit, segfault): BrokenProcessPool",
          arguments: PoolKind.allCases, [StandardTasks.FailureMode.error, .exit, .crash])
    func decodeArguments(kind: PoolKind, mode: StandardTasks.FailureMode) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            let future = try pool.submit(StandardTasks.badArguments, .init(mode: mode, failsToEncode: false))
            #expect(try future.exception(timeout: Self.timeout) is BrokenProcessPool)
            pool.shutdown(wait: true)
        }
    }

    @Test("running the task: a segfault breaks the pool; exit(1) is SystemExit(1); an error is that error", arguments: PoolKind.allCases)
    func runTask(kind: PoolKind) throws {
        try kind.run { () throws in
            let exiting = try kind.pool(maxWorkers: 2)
            #expect(try exiting.submit(StandardTasks.exit, 1).exception(timeout: Self.timeout) as? SystemExit == SystemExit(code: 1))
            #expect(try exiting.submit(StandardTasks.square, 4).result(timeout: Self.timeout) == 16, "a new worker replaces the one that exited")
            #expect(try exiting.submit(StandardTasks.raise, "no").exception(timeout: Self.timeout) as? ValueError == ValueError("no"))
            exiting.shutdown(wait: true)

            let crashing = try kind.pool(maxWorkers: 2)
            let broken = try #require(try crashing.submit(StandardTasks.crash, 11).exception(timeout: Self.timeout) as? BrokenProcessPool)
            #expect(broken.cause == "terminated abruptly by signal 11 (SIGSEGV)")
            crashing.shutdown(wait: true)
        }
    }

    @Test("SIGKILL of a worker mid-task: every pending future raises BrokenProcessPool naming SIGKILL", arguments: PoolKind.allCases)
    func killed(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            let first = try pool.submit(StandardTasks.sleep, 2.0)
            let killer = try pool.submit(StandardTasks.crash, 9)
            let rest = try (0..<3).map { _ in try pool.submit(StandardTasks.sleep, 2.0) }
            var errors = [try first.exception(timeout: Self.timeout), try killer.exception(timeout: Self.timeout)]
            errors += try rest.map { try $0.exception(timeout: Self.timeout) }
            for error in errors {
                let broken = try #require(error as? BrokenProcessPool)
                #expect(broken.cause == "terminated abruptly by signal 9 (SIGKILL)")
            }
            pool.shutdown(wait: true)
        }
        #expect(zombieChildren().isEmpty)
    }

    @Test("encoding the result fails in the worker: an error is that error (a PicklingError); exit is SystemExit; a segfault breaks the pool", arguments: PoolKind.allCases)
    func encodeResult(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            let encoding = try pool.submit(StandardTasks.badResult, .error).exception(timeout: Self.timeout)
            #expect((encoding as? PicklingError)?.message.contains("encoding failed on purpose") == true)
            #expect(try pool.submit(StandardTasks.badResult, .exit).exception(timeout: Self.timeout) as? SystemExit == SystemExit(code: 1))
            #expect(try pool.submit(StandardTasks.badResult, .crash).exception(timeout: Self.timeout) is BrokenProcessPool)
            pool.shutdown(wait: true)
        }
    }

    @Test("decoding the result fails in the parent: BrokenProcessPool", arguments: PoolKind.allCases)
    func decodeResult(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            // The worker returns text; the parent expects a number.
            let mismatched = ProcessTask<Int, Int>(StandardTasks.text.name)
            #expect(try pool.submit(mismatched, 1).exception(timeout: Self.timeout) is BrokenProcessPool)
            pool.shutdown(wait: true)
        }
    }

    @Test("90 a crash during shutdown(wait: true): shutdown returns and result() raises BrokenProcessPool; a crash with a large payload in flight breaks map", arguments: PoolKind.allCases)
    func crashDuringShutdown(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            _ = try pool.submit(StandardTasks.sleep, 0.2)
            let crash = try pool.submit(StandardTasks.crash, 11)
            pool.shutdown(wait: true)
            #expect(try crash.exception(timeout: Self.timeout) is BrokenProcessPool)

            let mapped = try kind.pool(maxWorkers: 2)
            _ = try mapped.submit(StandardTasks.payload, 1 << 20)
            _ = try mapped.submit(StandardTasks.crash, 11)
            // The pool breaks while map submits (simulated workers crash at once)
            // or while its results are collected (real ones a moment later).
            #expect(throws: BrokenProcessPool.self) {
                _ = try mapped.map(StandardTasks.payload, Array(repeating: 1 << 18, count: 8), timeout: Self.timeout).collect()
            }
            mapped.shutdown(wait: true)
        }
    }

    @Test("90 a full pipe never blocks submit: 100 jobs with large arguments through map finish", arguments: PoolKind.allCases)
    func fullPipe(kind: PoolKind) throws {
        try kind.run { () throws in
            let pool = try kind.pool(maxWorkers: 2)
            let lists = (0..<100).map { index in Array(repeating: index, count: 20_000) }
            let sums = try pool.map(StandardTasks.add, lists, timeout: .seconds(120)).collect()
            #expect(sums == (0..<100).map { $0 * 20_000 })
            pool.shutdown(wait: true)
        }
        #expect(zombieChildren().isEmpty)
    }
}
