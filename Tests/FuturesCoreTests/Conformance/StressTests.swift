#if canImport(Glibc)
import Glibc
#endif
@testable import FuturesCore
import Testing

/// Many tasks, random cancels, a shutdown in the middle: every future must end
/// in a terminal state and none may be lost. `FUTURESLAB_STRESS_TASKS` raises
/// (or lowers) the count; the default is 1,000,000.
@Suite("Stress")
struct StressTests {
    static var taskCount: Int {
        if let text = environmentValue("FUTURESLAB_STRESS_TASKS"), let count = Int(text), count > 0 {
            return count
        }
        return 1_000_000
    }

    @Test("stress: tasks with random cancels and a concurrent shutdown all reach a terminal state", arguments: ExecutorKind.allCases)
    func stressRandomCancelsAndShutdown(kind: ExecutorKind) async throws {
        let total = Self.taskCount
        try await kind.runtime.run(seconds: 600) { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 4)
            var random = SeededGenerator(seed: 0x5EED)  // the scheduler's SplitMix64: a failing run replays
            var futures: [Future<Int>] = []
            futures.reserveCapacity(total)
            let shutdownAt = total / 2 + Int(random.next() % UInt64(max(1, total / 4)))
            var shutdownThread: (any RuntimeThread)?
            var refused = 0
            for index in 0..<total {
                if index == shutdownAt {
                    shutdownThread = try currentRuntime.startThread(named: "shutdown") {
                        pool.shutdown(wait: true, cancelFutures: true)
                    }
                }
                do {
                    futures.append(try pool.submit { index })
                } catch let error as RuntimeError {
                    #expect(error == .cannotScheduleAfterShutdown)
                    refused += 1
                    continue
                }
                if random.next() % 8 == 0 {
                    futures[futures.count - 1 - Int(random.next() % UInt64(min(futures.count, 64)))].cancel()
                }
            }
            shutdownThread?.join()
            let split = try wait(futures, timeout: .seconds(120))
            #expect(split.notDone.isEmpty, "\(split.notDone.count) futures never settled")
            #expect(futures.count + refused == total)
            var finished = 0
            for future in futures {
                switch future.currentState {
                case .finished: finished += 1
                case .cancelledAndNotified: break
                case let state: Issue.record("a future ended \(state.pythonName)")
                }
            }
            #expect(finished > 0)
        }
    }
}

func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
