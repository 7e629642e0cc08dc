import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// Section A of futures-checklist.md: types, constants, repr.
@Suite("A. Types, constants, repr")
struct TypesTests {
    @Test("A1 errors: CancelledError, InvalidStateError, TimeoutError, BrokenThreadPool is a BrokenExecutor")
    func a1_errorTypes() {
        let errors: [any Error] = [CancelledError(), InvalidStateError("x"), TimeoutError(), BrokenThreadPool.initializerFailed]
        #expect(errors[0] is CancelledError)
        #expect(errors[1] is InvalidStateError)
        #expect(errors[2] is TimeoutError)
        #expect(errors[3] is any BrokenExecutor)
        #expect(!(errors[0] is any BrokenExecutor))
        #expect(RuntimeError.cannotScheduleAfterShutdown.message == "cannot schedule new futures after shutdown")
    }

    @Test("A2 FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED")
    func a2_returnWhenConstants() {
        #expect(ReturnWhen.firstCompleted.rawValue == "FIRST_COMPLETED")
        #expect(ReturnWhen.firstException.rawValue == "FIRST_EXCEPTION")
        #expect(ReturnWhen.allCompleted.rawValue == "ALL_COMPLETED")
        #expect(Set(ReturnWhen.allCases).count == 3)
    }

    @Test("A3 five states; repr words pending / running / cancelled / cancelled / finished", arguments: RuntimeKind.allCases)
    func a3_states(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let expected: [(String, FutureState, String)] = [
                ("PENDING", .pending, "pending"), ("RUNNING", .running, "running"),
                ("CANCELLED", .cancelled, "cancelled"),
                ("CANCELLED_AND_NOTIFIED", .cancelledAndNotified, "cancelled"),
                ("EXCEPTION", .finished, "finished"), ("SUCCESSFUL", .finished, "finished"),
            ]
            for ((name, future), (expectedName, state, word)) in zip(Ready.all(), expected) {
                #expect(name == expectedName)
                #expect(future.currentState == state)
                #expect(future.currentState.description == word)
            }
            #expect(FutureState.cancelledAndNotified.pythonName == "CANCELLED_AND_NOTIFIED")
        }
    }

    @Test("A4 repr: <Future at 0x… state=…> with 'raised OSError' / 'returned Int'", arguments: RuntimeKind.allCases)
    func a4_repr(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            func matches(_ future: AnyFuture, _ tail: String) -> Bool {
                let text = future.description
                guard text.hasPrefix("<Future at 0x"), text.hasSuffix(" state=\(tail)>") else { return false }
                let address = text.dropFirst("<Future at 0x".count).prefix { $0 != " " }
                return !address.isEmpty && address.allSatisfy(\.isHexDigit)
            }
            #expect(matches(Ready.pending(), "pending"))
            #expect(matches(Ready.running(), "running"))
            #expect(matches(Ready.cancelled(), "cancelled"))
            #expect(matches(Ready.cancelledAndNotified(), "cancelled"))
            #expect(matches(Ready.exception(), "finished raised OSError"))
            #expect(matches(Ready.successful(), "finished returned Int"))
            let text = Future<String>()
            try text.setResult("x")
            #expect(matches(text, "finished returned String"))
            // The address is the object's, as CPython's `id()`.
            let address = String(UInt(bitPattern: ObjectIdentifier(text)), radix: 16)
            #expect(text.description.hasPrefix("<Future at 0x\(address) "))
        }
    }
}
