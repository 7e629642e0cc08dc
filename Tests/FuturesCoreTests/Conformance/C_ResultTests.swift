import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// Section C: result() / exception() with a timeout.
@Suite("C. result() and exception()")
struct ResultTests {
    @Test("C12 result(timeout: 0): pending/running time out, cancelled throws CancelledError, errors rethrow, values return", arguments: RuntimeKind.allCases)
    func c12_resultTimeoutZero(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            #expect(throws: TimeoutError.self) { try Ready.pending().result(timeout: .zero) }
            #expect(throws: TimeoutError.self) { try Ready.running().result(timeout: .zero) }
            #expect(throws: CancelledError.self) { try Ready.cancelled().result(timeout: .zero) }
            #expect(throws: CancelledError.self) { try Ready.cancelledAndNotified().result(timeout: .zero) }
            #expect(throws: OSError.self) { try Ready.exception().result(timeout: .zero) }
            #expect(try Ready.successful().result(timeout: .zero) == 42)
        }
    }

    @Test("C13 exception(timeout: 0): the same timeout and cancel cases; the error, or nil on success", arguments: RuntimeKind.allCases)
    func c13_exceptionTimeoutZero(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            #expect(throws: TimeoutError.self) { try Ready.pending().exception(timeout: .zero) }
            #expect(throws: TimeoutError.self) { try Ready.running().exception(timeout: .zero) }
            #expect(throws: CancelledError.self) { try Ready.cancelled().exception(timeout: .zero) }
            #expect(throws: CancelledError.self) { try Ready.cancelledAndNotified().exception(timeout: .zero) }
            #expect(try Ready.exception().exception(timeout: .zero) is OSError)
            #expect(try Ready.successful().exception(timeout: .zero) == nil)
        }
    }

    @Test("C14 a blocked result(timeout: 5) wakes on completion (value) or on cancel (CancelledError)", arguments: RuntimeKind.allCases)
    func c14_blockedResultWakes(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let completed = Ready.pending()
            after(.milliseconds(100)) { try completed.setResult(42) }
            #expect(try completed.result(timeout: .seconds(5)) == 42)

            let cancelled = Ready.pending()
            after(.milliseconds(100)) { cancelled.cancel() }
            #expect(throws: CancelledError.self) { try cancelled.result(timeout: .seconds(5)) }

            let failed = Ready.pending()
            after(.milliseconds(100)) { try failed.setException(OSError()) }
            #expect(try failed.exception(timeout: .seconds(5)) is OSError)
        }
    }

    @Test("C14 a blocked result(timeout:) that nobody completes times out after its timeout", arguments: RuntimeKind.allCases)
    func c14_blockedResultTimesOut(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let start = currentRuntime.now()
            #expect(throws: TimeoutError.self) { try Ready.pending().result(timeout: .milliseconds(100)) }
            #expect(elapsed(since: start) >= 0.1)
        }
    }

    @Test("C15 timeout nil waits for ever", arguments: RuntimeKind.allCases)
    func c15_noTimeout(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let future = Ready.pending()
            after(.milliseconds(200)) { try future.setResult(5) }
            #expect(try future.result() == 5)
            let failed = Ready.pending()
            after(.milliseconds(200)) { try failed.setException(OSError()) }
            #expect(try failed.exception() is OSError)
        }
    }

    @Test("C16 'falsy' errors are still raised: presence, not truthiness", arguments: RuntimeKind.allCases)
    func c16_falsyErrors(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let future = Future<Int>()
            try future.setException(FalsyError())
            #expect(throws: FalsyError()) { try future.result() }
            #expect(try future.exception() is FalsyError)
            #expect(future.description.hasSuffix("state=finished raised FalsyError>"))
        }
    }

    @Test("C17 any error thrown by the task is stored on the future and rethrown by result()", arguments: ExecutorKind.allCases)
    func c17_taskErrorsAreStored(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            struct Custom: Error, Equatable { let code: Int }
            let future = try executor.submit { () throws -> Int in throw Custom(code: 7) }
            #expect(throws: Custom(code: 7)) { try future.result() }
            #expect((try future.exception()) as? Custom == Custom(code: 7))
            let falsy = try executor.submit { () throws -> Int in throw FalsyError() }
            #expect(throws: FalsyError()) { try falsy.result() }
        }
    }
}
