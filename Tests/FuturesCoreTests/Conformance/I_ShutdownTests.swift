@testable import FuturesCore
import Testing

/// Section I: shutdown(wait:cancelFutures:) and scoped use.
@Suite("I. shutdown and scoped use")
struct ShutdownTests {
    @Test("I56 submit after shutdown throws RuntimeError('cannot schedule new futures after shutdown')", arguments: ExecutorKind.allCases)
    func i56_submitAfterShutdown(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            executor.shutdown(wait: true)
            #expect(throws: RuntimeError.cannotScheduleAfterShutdown) { try executor.submit { 1 } }
            #expect(throws: RuntimeError.cannotScheduleAfterShutdown) { try executor.map({ $0 }, [1]) }
        }
    }

    @Test("I58 queued work still runs: 50 sleeping calls, shutdown(), every result succeeds", arguments: ExecutorKind.allCases)
    func i58_queuedWorkRuns(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 5) { (executor: any Executor) throws in
            let futures = try (0..<50).map { index in
                try executor.submit { () -> Int in currentRuntime.sleep(for: .milliseconds(10)); return index }
            }
            executor.shutdown(wait: true)
            #expect(try futures.map { try $0.result(timeout: .zero) } == Array(0..<50))
        }
    }

    @Test("I59 cancelFutures cancels queued futures, not running or finished ones", arguments: ExecutorKind.allCases)
    func i59_cancelFutures(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 5) { (executor: any Executor) throws in
            let firstStarted = Future<Void>()
            let futures = try (0..<50).map { _ in
                try executor.submit {
                    try? firstStarted.setResult(())
                    currentRuntime.sleep(for: .milliseconds(100))
                }
            }
            // At least one is running (so cannot be cancelled) when we shut down.
            try firstStarted.result(timeout: .seconds(10))
            executor.shutdown(wait: true, cancelFutures: true)
            let cancelled = futures.filter(\.isCancelled).count
            #expect(cancelled > 20)
            #expect(futures.contains { !$0.isCancelled })
            #expect(futures.allSatisfy { $0.isDone })
            // Cancelled by shutdown, they are also done for wait().
            #expect(try wait(futures, timeout: .seconds(5)).notDone.isEmpty)
        }
    }

    @Test("I61 shutdown(wait: false) returns at once; queued work still finishes; the workers exit", arguments: ExecutorKind.allCases)
    func i61_shutdownNoWait(kind: ExecutorKind) async throws {
        try await kind.runtime.run { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 2)
            let gate = Future<Void>()
            let futures = try (0..<6).map { index in
                try pool.submit { () throws -> Int in try gate.result(); return index }
            }
            pool.shutdown(wait: false)
            #expect(futures.allSatisfy { !$0.isDone })
            try gate.setResult(())
            #expect(try futures.map { try $0.result(timeout: .seconds(10)) } == Array(0..<6))
            let deadline = currentRuntime.now().advanced(by: .seconds(10))
            while pool.liveWorkerCount > 0 && currentRuntime.now() < deadline {
                currentRuntime.sleep(for: .milliseconds(5))
            }
            #expect(pool.liveWorkerCount == 0)
        }
    }

    @Test("I64 submit(x).cancel() then shutdown(wait: true) does not hang", arguments: ExecutorKind.allCases)
    func i64_cancelThenShutdown(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 1) { (executor: any Executor) throws in
            let gate = Future<Void>()
            let blocker = try executor.submit { try gate.result() }
            let cancelled = try executor.submit { 1 }
            #expect(cancelled.cancel())
            after(.milliseconds(50)) { try gate.setResult(()) }
            executor.shutdown(wait: true)
            try blocker.result()
            #expect(cancelled.currentState == .cancelledAndNotified)
        }
    }

    @Test("I65 scoped use shuts down with wait and lets errors propagate: map(abs, -5..<5)", arguments: ExecutorKind.allCases)
    func i65_scoped(kind: ExecutorKind) async throws {
        try await kind.runtime.run { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 3)
            let values = try pool.scoped { pool in try pool.map({ abs($0) }, -5..<5).collect() }
            #expect(values == [5, 4, 3, 2, 1, 0, 1, 2, 3, 4])
            #expect(throws: RuntimeError.cannotScheduleAfterShutdown) { try pool.submit { 1 } }

            let failing = try ThreadPoolExecutor(maxWorkers: 1)
            #expect(throws: OSError.self) {
                try failing.scoped { _ in throw OSError() }
            }
            #expect(throws: RuntimeError.cannotScheduleAfterShutdown) { try failing.submit { 1 } }
        }
    }

    @Test("I66 dropping the last reference lets the workers exit after queued work; map results stay valid", arguments: ExecutorKind.allCases)
    func i66_dropLastReference(kind: ExecutorKind) async throws {
        try await kind.runtime.run { () throws in
            weak var weakCore: ThreadPoolCore?
            weak var weakPool: ThreadPoolExecutor?
            let gate = Future<Void>()
            let results: MapResults<Int>
            do {
                let pool = try ThreadPoolExecutor(maxWorkers: 2)
                weakPool = pool
                weakCore = pool.core
                results = try pool.map({ (x: Int) throws -> Int in try gate.result(); return x * 2 }, 0..<10)
            }
            #expect(weakPool == nil)
            try gate.setResult(())
            #expect(try results.collect() == (0..<10).map { $0 * 2 })
            let deadline = currentRuntime.now().advanced(by: .seconds(10))
            while weakCore != nil && currentRuntime.now() < deadline {
                currentRuntime.sleep(for: .milliseconds(5))
            }
            #expect(weakCore == nil, "the workers exited and released the pool's state")
        }
    }

    @Test("I67 shutdown is safe to call several times", arguments: ExecutorKind.allCases)
    func i67_shutdownTwice(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            _ = try executor.submit { 1 }.result()
            executor.shutdown(wait: true)
            executor.shutdown(wait: true)
            executor.shutdown(wait: false, cancelFutures: true)
        }
    }
}
