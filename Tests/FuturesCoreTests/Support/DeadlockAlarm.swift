@testable import FuturesCore
import Synchronization
import Testing

/// The test did not finish in time: a deadlock or a lost wake-up.
struct DeadlockAlarm: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "deadlock alarm: the test did not finish within \(seconds) s" }
}

/// Runs `body` on a thread of `runtime` and waits for it without blocking the
/// test runner's threads. If it has not finished after `seconds`, the test fails
/// with `DeadlockAlarm` (the stuck thread is left behind; the run goes on).
///
/// The body runs as a Task on a `RuntimeThreadExecutor`, so Swift Testing's
/// task-locals travel with it and its expectations are attributed to the test.
func withDeadlockAlarm<R: Sendable>(
    seconds: Double,
    runtime: any Runtime,
    _ body: @escaping @Sendable () throws -> R
) async throws -> R {
    let settled = Atomic(false)
    return try await withCheckedThrowingContinuation { continuation in
        let settle: @Sendable (Result<R, any Error>) -> Void = { result in
            if !settled.exchange(true, ordering: .acquiringAndReleasing) {
                continuation.resume(with: result)
            }
        }
        Task(executorPreference: RuntimeThreadExecutor(runtime: runtime)) {
            settle(Result { try body() })
        }
        do {
            _ = try NativeRuntime.shared.startThread(named: "test-alarm") {
                NativeRuntime.shared.sleep(for: .milliseconds(Int64(seconds * 1000)))
                settle(.failure(DeadlockAlarm(seconds: seconds)))
            }
        } catch {
            settle(.failure(error))
        }
    }
}

/// A task executor that runs each job on a new thread of a runtime, so a
/// blocking test body never occupies the cooperative pool.
final class RuntimeThreadExecutor: TaskExecutor {
    let runtime: any Runtime

    init(runtime: any Runtime) {
        self.runtime = runtime
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        do {
            _ = try runtime.startThread(named: "MainThread") {
                job.runSynchronously(on: executor)
            }
        } catch {
            fatalError("cannot start a test thread: \(error)")
        }
    }
}
