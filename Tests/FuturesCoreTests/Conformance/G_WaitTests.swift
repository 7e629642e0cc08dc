import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// Section G: wait(fs, timeout, returnWhen).
@Suite("G. wait")
struct WaitTests {
    @Test("G35 returns done / not done with duplicates removed: wait([f, f]) → done [f]", arguments: RuntimeKind.allCases)
    func g35_duplicates(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let future = Ready.successful()
            let split = try wait([future, future])
            #expect(split.done == [future])
            #expect(split.notDone.isEmpty)
        }
    }

    @Test("G35 any sequence, also one that can be walked only once, even when futures finish during the wait", arguments: RuntimeKind.allCases)
    func g35_onePassSequence(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let done = Ready.successful()
            let late = Ready.pending()
            let never = Ready.pending()
            after(.milliseconds(20)) { try late.setResult(1) }
            let split = try wait(OnePass([done, late, never, done]), timeout: .milliseconds(200), returnWhen: .allCompleted)
            #expect(split.done == [done, late])
            #expect(split.notDone == [never])
        }
    }

    @Test("G36 FIRST_COMPLETED with some already done returns at once with all of them", arguments: RuntimeKind.allCases)
    func g36_firstCompletedAlreadyDone(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let notified = Ready.cancelledAndNotified()
            let success = Ready.successful()
            let pending = Ready.pending()
            let cancelled = Ready.cancelled()
            let split = try wait([notified, pending, success, cancelled], returnWhen: .firstCompleted)
            #expect(split.done == [notified, success])
            #expect(split.notDone == [pending, cancelled])
        }
    }

    @Test("G37 FIRST_COMPLETED with none done returns on the first completion", arguments: ExecutorKind.allCases)
    func g37_firstCompletedWaits(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 2) { (executor: any Executor) throws in
            let gate = Future<Void>()
            defer { try? gate.setResult(()) }
            let quick = try executor.submit { () -> Int in currentRuntime.sleep(for: .milliseconds(100)); return 1 }
            let slow = try executor.submit { () throws -> Int in try gate.result(); return 2 }
            let split = try wait([quick, slow], timeout: .seconds(10), returnWhen: .firstCompleted)
            #expect(split.done == [quick])
            #expect(split.notDone == [slow])
        }
    }

    @Test("G38 FIRST_EXCEPTION returns at once if an already-done, non-cancelled future failed", arguments: RuntimeKind.allCases)
    func g38_firstExceptionAlreadyFailed(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let failed = Ready.exception()
            let success = Ready.successful()
            let pending = Ready.pending()
            let split = try wait([success, failed, pending], returnWhen: .firstException)
            #expect(split.done == [success, failed])
            #expect(split.notDone == [pending])
        }
    }

    @Test("G39 FIRST_EXCEPTION waiting returns when one fails; done includes those finished earlier", arguments: ExecutorKind.allCases)
    func g39_firstExceptionWaits(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 3) { (executor: any Executor) throws in
            let gate = Future<Void>()
            defer { try? gate.setResult(()) }
            let success = try executor.submit { 1 }
            _ = try success.result()
            let failing = try executor.submit { () throws -> Int in
                currentRuntime.sleep(for: .milliseconds(100))
                throw OSError()
            }
            let blocked = try executor.submit { () throws -> Int in try gate.result(); return 3 }
            let split = try wait([success, failing, blocked], timeout: .seconds(10), returnWhen: .firstException)
            #expect(split.done == [success, failing])
            #expect(split.notDone == [blocked])
        }
    }

    @Test("G40 FIRST_EXCEPTION with no failure behaves like ALL_COMPLETED", arguments: ExecutorKind.allCases)
    func g40_firstExceptionWithoutFailure(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            let futures = try (0..<5).map { index in
                try executor.submit { () -> Int in currentRuntime.sleep(for: .milliseconds(10 * index)); return index }
            }
            let split = try wait(futures, timeout: .seconds(10), returnWhen: .firstException)
            #expect(split.done == futures)
            #expect(split.notDone.isEmpty)
        }
    }

    @Test("G41 ALL_COMPLETED: done holds successes, failures and notified-cancelled futures", arguments: ExecutorKind.allCases)
    func g41_allCompleted(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 1) { (executor: any Executor) throws in
            let gate = Future<Void>()
            let blocker = try executor.submit { () throws -> Int in try gate.result(); return 0 }
            let failing = try executor.submit { () throws -> Int in throw OSError() }
            let cancelled = try executor.submit { 2 }
            let success = try executor.submit { 3 }
            #expect(cancelled.cancel())
            after(.milliseconds(50)) { try gate.setResult(()) }
            let split = try wait([blocker, failing, cancelled, success, Ready.cancelledAndNotified()], timeout: .seconds(10))
            #expect(split.done.count == 5)
            #expect(split.notDone.isEmpty)
            #expect(cancelled.currentState == .cancelledAndNotified)
        }
    }

    @Test("G42 a timeout never throws: it returns the partial split", arguments: RuntimeKind.allCases)
    func g42_timeoutReturnsSplit(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let success = Ready.successful()
            let pending = Ready.pending()
            for returnWhen in ReturnWhen.allCases where returnWhen != .firstCompleted {
                let split = try wait([success, pending], timeout: .milliseconds(50), returnWhen: returnWhen)
                #expect(split.done == [success])
                #expect(split.notDone == [pending])
            }
            let none = try wait([pending], timeout: .milliseconds(50), returnWhen: .firstCompleted)
            #expect(none.done.isEmpty && none.notDone == [pending])
            #expect(pending.observerCount == 0)
        }
    }

    @Test("G43 an invalid returnWhen throws ValueError('Invalid return condition: …') unless all were done", arguments: RuntimeKind.allCases)
    func g43_invalidReturnWhen(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let bogus = ReturnWhen(rawValue: "SOMETIMES")
            #expect(throws: ValueError("Invalid return condition: 'SOMETIMES'")) {
                try wait([Ready.pending(), Ready.successful()], returnWhen: bogus)
            }
            let split = try wait([Ready.successful(), Ready.exception()], returnWhen: bogus)
            #expect(split.done.count == 2)
        }
    }

    @Test("G44 100 futures, ALL_COMPLETED, under heavy switching: no hang", arguments: ExecutorKind.allCases)
    func g44_heavySwitching(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 8) { (executor: any Executor) throws in
            let futures = try (0..<100).map { index in
                try executor.submit { () -> Int in
                    for round in 0..<((index % 7) + 1) {
                        currentRuntime.sleep(for: .microseconds(Int64(50 * (round % 3))))
                    }
                    return index
                }
            }
            let split = try wait(futures, timeout: .seconds(30))
            #expect(split.done.count == 100)
            #expect(try futures.map { try $0.result() } == Array(0..<100))
        }
    }
}

/// A sequence whose elements can be walked only once (a generator).
final class OnePass<Element>: Sequence, IteratorProtocol {
    private var items: [Element]

    init(_ items: [Element]) { self.items = items.reversed() }

    func next() -> Element? { items.popLast() }
}
