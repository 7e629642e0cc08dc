import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// Section E: cancel().
@Suite("E. cancel()")
struct CancelTests {
    @Test("E24 cancel: PENDING true (→ CANCELLED), RUNNING false, cancelled true, FINISHED false", arguments: RuntimeKind.allCases)
    func e24_cancelByState(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let pending = Ready.pending()
            #expect(pending.cancel())
            #expect(pending.currentState == .cancelled)
            let running = Ready.running()
            #expect(!running.cancel())
            #expect(running.currentState == .running)
            #expect(Ready.cancelled().cancel())
            let notified = Ready.cancelledAndNotified()
            #expect(notified.cancel())
            #expect(notified.currentState == .cancelledAndNotified)
            #expect(!Ready.exception().cancel())
            #expect(!Ready.successful().cancel())
        }
    }

    @Test("E25 cancel wakes result() waiters but not wait()/asCompleted until a worker notifies", arguments: RuntimeKind.allCases)
    func e25_cancelWakesOnlyResultWaiters(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let future = Ready.pending()
            after(.milliseconds(50)) { future.cancel() }
            #expect(throws: CancelledError.self) { try future.result(timeout: .seconds(5)) }

            let split = try wait([future], timeout: .milliseconds(100))
            #expect(split.done.isEmpty)
            #expect(split.notDone == [future])
            #expect(throws: TimeoutError.self) { _ = try asCompleted([future], timeout: .milliseconds(100)).next() }

            after(.milliseconds(50)) { _ = try future.setRunningOrNotifyCancel() }
            #expect(try wait([future], timeout: .seconds(5)).done == [future])
            #expect(try asCompleted([future], timeout: .seconds(5)).next() === future)
        }
    }

    @Test("E26 a thread worker skips a cancelled item and marks it CANCELLED_AND_NOTIFIED", arguments: ExecutorKind.allCases)
    func e26_workerSkipsCancelled(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 1) { (executor: any Executor) throws in
            let gate = Future<Void>()
            let ran = Log<String>()
            let blocker = try executor.submit { try gate.result(); ran.append("blocker") }
            let skipped = try executor.submit { ran.append("skipped") }
            let after = try executor.submit { ran.append("after") }
            #expect(skipped.cancel())
            try gate.setResult(())
            try blocker.result()
            try after.result()
            #expect(ran.all == ["blocker", "after"])
            #expect(skipped.currentState == .cancelledAndNotified)
        }
    }
}
