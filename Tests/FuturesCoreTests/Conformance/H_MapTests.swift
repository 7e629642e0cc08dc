@testable import FuturesCore
import Testing

/// A value whose lifetime a test can watch with a weak reference.
final class Token: Sendable {
    let value: Int
    init(_ value: Int) { self.value = value }
}

/// Section H: Executor.map.
@Suite("H. map")
struct MapTests {
    @Test("H45 every call is submitted at the map call; shutdown(wait:) runs them even if never iterated", arguments: ExecutorKind.allCases)
    func h45_submittedAtCall(kind: ExecutorKind) async throws {
        try await kind.runtime.run { () throws in
            let executor = try kind.makeExecutor(maxWorkers: 2)
            let ran = Log<Int>()
            let results = try executor.map({ (x: Int) in ran.append(x) }, 0..<20)
            executor.shutdown(wait: true)
            #expect(ran.all.sorted() == Array(0..<20))
            withExtendedLifetime(results) {}
        }
    }

    @Test("H46 results in input order, zipped over the sequences; chunksize is ignored by thread pools", arguments: ExecutorKind.allCases)
    func h46_inputOrder(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 4) { (executor: any Executor) throws in
            let reversedDelays = try executor.map({ (x: Int) -> Int in
                currentRuntime.sleep(for: .milliseconds(Int64(5 * (10 - x))))
                return x * x
            }, 0..<10).collect()
            #expect(reversedDelays == (0..<10).map { $0 * $0 })
            let zipped = try executor.map({ (a: Int, b: Int) in a + b }, [1, 2, 3], [10, 20, 30, 40]).collect()
            #expect(zipped == [11, 22, 33])
            let chunked = try executor.map({ (x: Int) in x + 1 }, 0..<40, chunksize: 6).collect()
            #expect(chunked == Array(1...40))
        }
    }

    @Test("H47 the timeout is measured from the map call: two results, then TimeoutError", arguments: ExecutorKind.allCases)
    func h47_timeoutFromCall(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 3) { (executor: any Executor) throws in
            let gate = Future<Void>()
            defer { try? gate.setResult(()) }
            let results = try executor.map({ (x: Int) throws -> Int in
                if x == 2 { try gate.result() }
                return x
            }, [0, 1, 2], timeout: .milliseconds(300))
            currentRuntime.sleep(for: .milliseconds(200))
            #expect(try results.next() == 0)
            #expect(try results.next() == 1)
            let start = currentRuntime.now()
            #expect(throws: TimeoutError.self) { try results.next() }
            // Only the rest of the 300 ms budget was spent on the last one.
            #expect(elapsed(since: start) < 0.3)
        }
    }

    @Test("H48 on that timeout the awaited future and all remaining ones are cancelled", arguments: ExecutorKind.allCases)
    func h48_timeoutCancelsRest(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 1) { (executor: any Executor) throws in
            let gate = Future<Void>()
            let started = Log<Int>()
            let results = try executor.map({ (x: Int) throws -> Int in
                started.append(x)
                if x == 0 { try gate.result() }
                return x
            }, [0, 1, 2], timeout: .milliseconds(100))
            #expect(throws: TimeoutError.self) { try results.next() }
            #expect(try results.next() == nil)
            try gate.setResult(())
            executor.shutdown(wait: true)
            #expect(started.all == [0])
        }
    }

    @Test("H49 an error surfaces at its position: map(divmod, [1,1,1,1], [2,3,0,5]) yields (0,1), (0,1), then the error", arguments: ExecutorKind.allCases)
    func h49_errorAtPosition(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            struct ZeroDivisionError: Error, Equatable {}
            let results = try executor.map({ (a: Int, b: Int) throws -> [Int] in
                guard b != 0 else { throw ZeroDivisionError() }
                return [a / b, a % b]
            }, [1, 1, 1, 1], [2, 3, 0, 5])
            #expect(try results.next() == [0, 1])
            #expect(try results.next() == [1 / 3, 1 % 3])
            #expect(throws: ZeroDivisionError()) { try results.next() }
        }
    }

    @Test("H50 after that error the iteration is over and the remaining futures are cancelled", arguments: ExecutorKind.allCases)
    func h50_errorEndsIteration(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 1) { (executor: any Executor) throws in
            let gate = Future<Void>()
            let started = Log<Int>()
            let results = try executor.map({ (x: Int) throws -> Int in
                started.append(x)
                if x == 0 { throw OSError() }
                if x == 1 { try gate.result() }
                return x
            }, [0, 1, 2, 3])
            #expect(throws: OSError.self) { try results.next() }
            #expect(try results.next() == nil)
            try gate.setResult(())
            executor.shutdown(wait: true)
            #expect(!started.all.contains(2) && !started.all.contains(3))
        }
    }

    @Test("H53 closing or dropping the iterator cancels every future not yet yielded", arguments: ExecutorKind.allCases)
    func h53_dropCancels(kind: ExecutorKind) async throws {
        try await kind.run(maxWorkers: 1) { (executor: any Executor) throws in
            for close in [true, false] {
                let gate = Future<Void>()
                let started = Log<Int>()
                let blocker = try executor.submit { try gate.result() }
                do {
                    let results = try executor.map({ (x: Int) in started.append(x) }, 0..<5)
                    #expect(results.pendingCount == 5)
                    if close { results.close() }
                }
                try gate.setResult(())
                try blocker.result()
                let probe = try executor.submit { 1 }
                #expect(try probe.result() == 1)
                #expect(started.all.isEmpty, "close: \(close)")
            }
        }
    }

    @Test("H54 the iterator keeps no references to the results it has yielded", arguments: ExecutorKind.allCases)
    func h54_noReferencesToYielded(kind: ExecutorKind) async throws {
        try await kind.run { (executor: any Executor) throws in
            let results = try executor.map({ (x: Int) in Token(x) }, 0..<3)
            weak var first: Token?
            do {
                let token = try results.next()
                first = token
                #expect(token?.value == 0)
            }
            // The worker may hold its own copy for a moment after completing
            // the future (CPython's test retries too); the iterator holds none.
            let deadline = currentRuntime.now().advanced(by: .seconds(10))
            while first != nil && currentRuntime.now() < deadline {
                currentRuntime.sleep(for: .milliseconds(1))
            }
            #expect(first == nil)
            #expect(try results.next()?.value == 1)
        }
    }
}
