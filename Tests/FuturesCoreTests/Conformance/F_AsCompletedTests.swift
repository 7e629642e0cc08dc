import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// Section F: asCompleted(fs, timeout).
@Suite("F. asCompleted")
struct AsCompletedTests {
    @Test("F27 lazy: nothing happens, not even the timeout clock, until the first next()", arguments: RuntimeKind.allCases)
    func f27_lazy(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let future = Ready.pending()
            let iterator = asCompleted([future], timeout: .milliseconds(300))
            #expect(future.observerCount == 0)
            currentRuntime.sleep(for: .milliseconds(500))
            after(.milliseconds(50)) { try future.setResult(1) }
            #expect(try iterator.next() === future)
            #expect(try iterator.next() == nil)
        }
    }

    @Test("F28 any sequence; duplicates are yielded once", arguments: RuntimeKind.allCases)
    func f28_duplicates(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let a = Ready.successful(1)
            let b = Ready.successful(2)
            let yielded = try asCompleted([a, b, a, a, b]).collect()
            #expect(yielded.count == 2)
            #expect(Set(yielded) == Set([a, b]))
            let fromSet = try asCompleted(Set([a, b])).collect()
            #expect(fromSet.count == 2)
        }
    }

    @Test("F29 finished and cancelled-and-notified futures come first, then the rest in completion order", arguments: RuntimeKind.allCases)
    func f29_doneFirstThenCompletionOrder(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let late = Ready.pending()
            let done = Ready.successful()
            let notified = Ready.cancelledAndNotified()
            let early = Ready.pending()
            let failed = Ready.exception()
            let iterator = asCompleted([late, done, notified, early, failed])
            #expect(try iterator.next() === done)
            #expect(try iterator.next() === notified)
            #expect(try iterator.next() === failed)
            after(.milliseconds(50)) {
                try early.setResult(1)
                currentRuntime.sleep(for: .milliseconds(50))
                try late.setResult(2)
            }
            #expect(try iterator.next() === early)
            #expect(try iterator.next() === late)
            #expect(try iterator.next() == nil)
        }
    }

    @Test("F30 with a timeout and one long future: the done ones are yielded, then TimeoutError", arguments: ExecutorKind.allCases)
    func f30_timeoutAfterDoneOnes(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            let gate = Future<Void>()
            defer { try? gate.setResult(()) }
            let quick = try executor.submit { 1 }
            let long = try executor.submit { () throws -> Int in try gate.result(); return 2 }
            _ = try quick.result()
            let iterator = asCompleted([quick, long], timeout: .milliseconds(200))
            #expect(try iterator.next() === quick)
            #expect(throws: TimeoutError("1 (of 2) futures unfinished")) { try iterator.next() }
            #expect(try iterator.next() == nil)
        }
    }

    @Test("F31 message '2 (of 4) futures unfinished' for [C&N, PENDING, RUNNING, SUCCESSFUL], timeout 0", arguments: RuntimeKind.allCases)
    func f31_timeoutMessage(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let notified = Ready.cancelledAndNotified()
            let pending = Ready.pending()
            let running = Ready.running()
            let success = Ready.successful()
            let iterator = asCompleted([notified, pending, running, success, pending], timeout: .zero)
            var yielded: [AnyFuture] = []
            #expect(throws: TimeoutError("2 (of 4) futures unfinished")) {
                while let future = try iterator.next() { yielded.append(future) }
            }
            #expect(Set(yielded) == Set([notified, success] as [AnyFuture]))
        }
    }

    @Test("F32 futures from different executors, of different types, and bare futures mix freely", arguments: ExecutorKind.allCases)
    func f32_mixedFutures(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            let other = try kind.makeExecutor(maxWorkers: 2)
            defer { other.shutdown(wait: true) }
            let bare = Future<String>()
            let futures: [AnyFuture] = [
                try executor.submit { 1 }, try other.submit { "two" }, bare, try executor.submit { 3.0 },
            ]
            after(.milliseconds(20)) { try bare.setResult("bare") }
            let yielded = try asCompleted(futures, timeout: .seconds(10)).collect()
            #expect(Set(yielded) == Set(futures))
        }
    }

    @Test("F33 keeps no reference to a future after yielding it", arguments: RuntimeKind.allCases)
    func f33_noReferenceAfterYield(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            weak var weakYielded: Future<Int>?
            let pending = Ready.pending()
            let iterator: AsCompleted<Future<Int>>
            do {
                let done = Ready.successful()
                weakYielded = done
                iterator = asCompleted([done, pending])
                #expect(try iterator.next() === done)
            }
            #expect(weakYielded == nil)
            after(.milliseconds(20)) { try pending.setResult(1) }
            #expect(try iterator.next() === pending)
        }
    }

    @Test("F34 removes its waiter from every future on exit: timeout, close, drop", arguments: RuntimeKind.allCases)
    func f34_removesWaiters(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let a = Ready.pending()
            let b = Ready.pending()
            let timed = asCompleted([a, b], timeout: .milliseconds(50))
            #expect(throws: TimeoutError.self) { try timed.next() }
            #expect(a.observerCount == 0 && b.observerCount == 0)

            try a.setResult(1)
            let closed = asCompleted([a, b])
            #expect(try closed.next() === a)
            #expect(b.observerCount == 1)
            closed.close()
            #expect(b.observerCount == 0)

            do {
                let dropped = asCompleted([a, b])
                _ = try dropped.next()
                #expect(b.observerCount == 1)
            }
            #expect(b.observerCount == 0)
        }
    }
}
