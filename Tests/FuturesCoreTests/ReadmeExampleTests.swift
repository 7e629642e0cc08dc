import FuturesCore
import FuturesTraceSchema
import Testing

/// The README's "A taste of the core", kept compiling and true.
@Suite("README example")
struct ReadmeExampleTests {
    static func loiter(_ n: Int) -> Int {
        currentRuntime.sleep(for: .milliseconds(100 * n))  // through the runtime seam
        return n * 10
    }

    @Test("the README snippet does what its comments say", arguments: RuntimeKind.allCases)
    func readmeSnippet(runtime: RuntimeKind) async throws {
        try await runtime.run { () throws in
            let results = try ThreadPoolExecutor(maxWorkers: 3).scoped { pool in
                try pool.map(Self.loiter, [3, 1, 2], timeout: .seconds(10)).collect()
            }
            #expect(results == [30, 10, 20])

            let pool = try ThreadPoolExecutor(maxWorkers: 3)
            let futures = try [3, 1, 2].map { n in try pool.submit(label: "loiter(\(n))") { Self.loiter(n) } }
            let inCompletionOrder = try asCompleted(futures, timeout: .seconds(5)).collect().map { try $0.result() }
            if runtime == .native {
                // Real threads on a loaded machine may finish 100 ms apart out of order.
                #expect(inCompletionOrder.sorted() == [10, 20, 30])
            } else {
                #expect(inCompletionOrder == [10, 20, 30])
            }
            let split = try wait(futures, returnWhen: .firstException)
            #expect(split.done == futures)
            pool.shutdown(wait: true)
        }
    }
}
