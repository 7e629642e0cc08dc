import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// Section B: states and transitions.
@Suite("B. States and transitions")
struct StatesTests {
    @Test("B6 a new future is not running, not done, not cancelled", arguments: RuntimeKind.allCases)
    func b6_newFuture(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let future = Future<Int>()
            #expect(!future.isRunning)
            #expect(!future.isDone)
            #expect(!future.isCancelled)
        }
    }

    @Test("B7 isCancelled for the two cancelled states, isRunning for RUNNING, isDone for cancelled and FINISHED", arguments: RuntimeKind.allCases)
    func b7_queries(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            for (name, future) in Ready.all() {
                let cancelled = name == "CANCELLED" || name == "CANCELLED_AND_NOTIFIED"
                #expect(future.isCancelled == cancelled, "\(name)")
                #expect(future.isRunning == (name == "RUNNING"), "\(name)")
                #expect(future.isDone == (cancelled || name == "EXCEPTION" || name == "SUCCESSFUL"), "\(name)")
            }
        }
    }

    @Test("B8 setRunningOrNotifyCancel: PENDING→RUNNING true; CANCELLED→C&N false and notifies waiters; else an error", arguments: RuntimeKind.allCases)
    func b8_setRunningOrNotifyCancel(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let pending = Future<Int>()
            #expect(try pending.setRunningOrNotifyCancel())
            #expect(pending.currentState == .running)

            let cancelled = Ready.cancelled()
            after(.milliseconds(50)) {
                _ = try cancelled.setRunningOrNotifyCancel()
            }
            let split = try wait([cancelled], timeout: .seconds(10))
            #expect(split.done == [cancelled])
            #expect(cancelled.currentState == .cancelledAndNotified)

            for future in [Ready.running(), Ready.cancelledAndNotified(), Ready.successful(), Ready.exception()] {
                #expect(throws: RuntimeError("Future in unexpected state")) {
                    try future.setRunningOrNotifyCancel()
                }
            }
        }
    }

    @Test("B9 setResult / setException from PENDING or RUNNING finish, wake waiters, run callbacks after the lock", arguments: RuntimeKind.allCases)
    func b9_completion(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            for start in [Ready.pending(), Ready.running()] {
                let seen = Log<String>()
                start.addDoneCallback { future in
                    // Calls back into the future: would deadlock if the lock were held.
                    seen.append("\(try future.result()) \(future.description.contains("returned Int"))")
                }
                let completer = after(.milliseconds(30)) { try start.setResult(7) }
                #expect(try start.result(timeout: .seconds(10)) == 7)
                #expect(start.currentState == .finished)
                // Callbacks run on the completing thread after waiters are woken.
                completer.join()
                #expect(seen.all == ["7 true"])
            }
            for start in [Ready.pending(), Ready.running()] {
                after(.milliseconds(30)) { try start.setException(OSError()) }
                #expect(try start.exception(timeout: .seconds(10)) is OSError)
                #expect(start.currentState == .finished)
            }
        }
    }

    @Test("B10 completing again throws InvalidStateError('FINISHED: <repr>') and keeps the first outcome", arguments: RuntimeKind.allCases)
    func b10_completeTwice(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let success = Ready.successful(42)
            let repr = success.description
            #expect(throws: InvalidStateError("FINISHED: \(repr)")) { try success.setResult(1) }
            #expect(throws: InvalidStateError("FINISHED: \(repr)")) { try success.setException(OSError()) }
            #expect(try success.result() == 42)

            let failure = Ready.exception()
            #expect(throws: InvalidStateError.self) { try failure.setResult(1) }
            #expect(try failure.exception() is OSError)

            let cancelled = Ready.cancelled()
            #expect(throws: InvalidStateError("CANCELLED: \(cancelled.description)")) { try cancelled.setResult(1) }
            let notified = Ready.cancelledAndNotified()
            #expect(throws: InvalidStateError("CANCELLED_AND_NOTIFIED: \(notified.description)")) {
                try notified.setException(OSError())
            }
        }
    }
}
