import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// Section D: done callbacks.
@Suite("D. Callbacks")
struct CallbackTests {
    @Test("D18 callbacks run on success, on error and on cancel; result()/exception()/isCancelled work inside", arguments: RuntimeKind.allCases)
    func d18_callbackOnEveryEnd(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let seen = Log<String>()
            let success = Future<Int>()
            success.addDoneCallback { seen.append("result \(try $0.result())") }
            try success.setResult(5)

            let failure = Future<Int>()
            failure.addDoneCallback { seen.append("exception \(String(describing: try $0.exception()))") }
            try failure.setException(OSError())

            let cancelled = Future<Int>()
            cancelled.addDoneCallback { seen.append("cancelled \($0.isCancelled)") }
            #expect(cancelled.cancel())

            #expect(seen.all == ["result 5", "exception Optional(FuturesCoreTests.OSError())", "cancelled true"])
        }
    }

    @Test("D18 an executor's future runs its callbacks when the task ends", arguments: ExecutorKind.allCases)
    func d18_executorCallback(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            let gate = Future<Void>()
            let seen = Log<Int>()
            let future = try executor.submit { () throws -> Int in try gate.result(); return 3 }
            future.addDoneCallback { seen.append(try $0.result()) }
            try gate.setResult(())
            #expect(try future.result() == 3)
            // The callback runs on the worker after waiters are woken: wait for it.
            let deadline = currentRuntime.now().advanced(by: .seconds(10))
            while seen.count == 0 && currentRuntime.now() < deadline { currentRuntime.sleep(for: .milliseconds(1)) }
            #expect(seen.all == [3])
        }
    }

    @Test("D19 callbacks run in the order added; one that throws is logged and the later ones still run", arguments: RuntimeKind.allCases)
    func d19_orderAndThrowingCallback(runtime: RuntimeKind) async throws {
        LogCapture.start()
        try await runtime.run { () throws in
            let error = UniqueError()
            let seen = Log<Int>()
            let future = Future<Int>()
            future.addDoneCallback { _ in seen.append(1) }
            future.addDoneCallback { _ in seen.append(2); throw error }
            future.addDoneCallback { _ in seen.append(3) }
            try future.setResult(0)
            #expect(seen.all == [1, 2, 3])
            #expect(LogCapture.callbackFailures(of: future, error: error.description).count == 1)
        }
    }

    @Test("D20 a callback added to a done future runs at once, on the caller's thread", arguments: RuntimeKind.allCases)
    func d20_immediateCallback(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let here = ThreadContext.current.name
            for (_, future) in Ready.all() where future.isDone {
                let seen = Log<String>()
                future.addDoneCallback { _ in seen.append(ThreadContext.current.name) }
                #expect(seen.all == [here])
            }
        }
    }

    @Test("D21 an immediate callback that throws is logged, not propagated", arguments: RuntimeKind.allCases)
    func d21_immediateThrowingCallback(runtime: RuntimeKind) async throws {
        LogCapture.start()
        try await runtime.run { () throws in
            let error = UniqueError()
            let future = Ready.successful()
            future.addDoneCallback { _ in throw error }
            #expect(LogCapture.callbackFailures(of: future, error: error.description).count == 1)
        }
    }

    @Test("D23 a second cancel() returns true and does not run the callbacks again", arguments: RuntimeKind.allCases)
    func d23_secondCancel(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let seen = Log<Int>()
            let future = Future<Int>()
            future.addDoneCallback { _ in seen.append(1) }
            #expect(future.cancel())
            #expect(future.cancel())
            #expect(try future.setRunningOrNotifyCancel() == false)
            #expect(future.cancel())
            #expect(seen.all == [1])
        }
    }
}
