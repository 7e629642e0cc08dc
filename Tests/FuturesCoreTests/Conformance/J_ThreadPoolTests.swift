import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// Section J: ThreadPoolExecutor.
@Suite("J. ThreadPoolExecutor")
struct ThreadPoolTests {
    @Test("J68 default max workers is min(32, cores + 4); zero or negative throws ValueError", arguments: RuntimeKind.allCases)
    func j68_maxWorkers(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let pool = try ThreadPoolExecutor()
            defer { pool.shutdown() }
            #expect(pool.maxWorkers == min(32, ThreadPoolExecutor.cpuCount + 4))
            for bad in [0, -1] {
                #expect(throws: ValueError("max_workers must be greater than 0")) {
                    try ThreadPoolExecutor(maxWorkers: bad)
                }
            }
        }
    }

    @Test("J70 lazy workers: 60 blocked tasks with max 4 start exactly 4 threads; 3 blocked start 3", arguments: RuntimeKind.allCases)
    func j70_lazyWorkers(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            for (tasks, expected) in [(60, 4), (3, 3)] {
                let pool = try ThreadPoolExecutor(maxWorkers: 4)
                let gate = Future<Void>()
                let futures = try (0..<tasks).map { _ in try pool.submit { try gate.result() } }
                #expect(pool.threadCount == expected, "\(tasks) tasks")
                try gate.setResult(())
                _ = try wait(futures)
                pool.shutdown(wait: true)
                #expect(pool.threadCount == expected)
            }
        }
    }

    @Test("J71 idle reuse: three sequential submit().result() use exactly one thread", arguments: RuntimeKind.allCases)
    func j71_idleReuse(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            for _ in 0..<20 {
                let pool = try ThreadPoolExecutor()
                #expect(try pool.submit { 21 * 2 }.result() == 42)
                #expect(try pool.submit { 6 * 7 }.result() == 42)
                #expect(try pool.submit { 3 * 14 }.result() == 42)
                #expect(pool.threadCount == 1)
                pool.shutdown(wait: true)
            }
        }
    }

    @Test("J72 thread names are '<prefix>_<n>'; the default prefix is 'ThreadPoolExecutor-<k>'", arguments: RuntimeKind.allCases)
    func j72_threadNames(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let named = try ThreadPoolExecutor(maxWorkers: 3, threadNamePrefix: "SpecialPool")
            let gate = Future<Void>()
            let futures = try (0..<3).map { _ in
                try named.submit { () throws -> String in try gate.result(); return ThreadContext.current.name }
            }
            try gate.setResult(())
            let expected: Set = ["SpecialPool_0", "SpecialPool_1", "SpecialPool_2"]
            #expect(try futures.allSatisfy { expected.contains(try $0.result()) })
            #expect(named.threadNames == ["SpecialPool_0", "SpecialPool_1", "SpecialPool_2"])
            named.shutdown()

            let first = try ThreadPoolExecutor(maxWorkers: 1)
            let second = try ThreadPoolExecutor(maxWorkers: 1)
            defer { first.shutdown(); second.shutdown() }
            let name = try first.submit { ThreadContext.current.name }.result()
            #expect(name.hasPrefix("ThreadPoolExecutor-") && name.hasSuffix("_0"))
            let k1 = Int(first.threadNamePrefix.dropFirst("ThreadPoolExecutor-".count))
            let k2 = Int(second.threadNamePrefix.dropFirst("ThreadPoolExecutor-".count))
            #expect(k1 != nil && k2 != nil && k2! > k1!)
        }
    }

    @Test("J74 the initializer runs once per worker, before any task", arguments: RuntimeKind.allCases)
    func j74_initializer(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let initialized = Log<String>()
            let pool = try ThreadPoolExecutor(maxWorkers: 3, initializer: {
                initialized.append(ThreadContext.current.name)
            })
            let gate = Future<Void>()
            let futures = try (0..<9).map { _ in
                try pool.submit { () throws -> Bool in
                    try gate.result()
                    return initialized.all.contains(ThreadContext.current.name)
                }
            }
            try gate.setResult(())
            #expect(try futures.allSatisfy { try $0.result() })
            pool.shutdown(wait: true)
            #expect(initialized.all.sorted() == pool.threadNames.sorted())
            #expect(initialized.count == 3)
        }
    }

    @Test("J75 initializer failure: logged, the pool is broken, queued futures and later submits get BrokenThreadPool", arguments: RuntimeKind.allCases)
    func j75_initializerFailure(runtime: RuntimeKind) async throws {
        LogCapture.start()
        try await runtime.run { () throws in
            let gate = Future<Void>()
            let pool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "BrokenInit", initializer: {
                try gate.result()
                throw OSError()
            })
            let futures = try (0..<10).map { index in try pool.submit { index } }
            try gate.setResult(())
            for future in futures {
                #expect(throws: BrokenThreadPool.initializerFailed) { try future.result(timeout: .seconds(10)) }
            }
            #expect(pool.isBroken)
            #expect(throws: BrokenThreadPool.initializerFailed) { try pool.submit { 1 } }
            #expect(!LogCapture.lines(containing: "Exception in initializer: OSError").isEmpty)
            pool.shutdown(wait: true)
        }
    }

    @Test("J76 the executor drops its reference to the task once it completes", arguments: RuntimeKind.allCases)
    func j76_dropsTask(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 1)
            defer { pool.shutdown() }
            weak var weakToken: Token?
            let future: Future<Int>
            do {
                let token = Token(5)
                weakToken = token
                future = try pool.submit { token.value }
            }
            #expect(try future.result() == 5)
            #expect(weakToken == nil)
        }
    }
}
