import FuturesCore
import FuturesTraceSchema
import Testing

/// The runtimes the behaviour suite runs under. The deterministic runtime joins
/// this list when it exists; every test parameterised over it reruns.
enum RuntimeKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case native
    /// Seeded random scheduling; the seed is fixed so a failure replays.
    case deterministic
    /// Deterministic with PCT scheduling (priorities and change points).
    case pct

    var testDescription: String { rawValue }

    /// A fresh runtime of this kind for one test.
    func makeRuntime() -> any Runtime {
        switch self {
        case .native: NativeRuntime()
        case .deterministic: DeterministicRuntime(seed: 0x5EED, strategy: .random)
        case .pct: DeterministicRuntime(seed: 0x5EED, strategy: .pct)
        }
    }
}

/// The executors the behaviour suite runs over, each under every runtime.
struct ExecutorKind: CustomTestStringConvertible, Sendable {
    enum Pool: String, CaseIterable, Sendable {
        case threadPool
    }

    let pool: Pool
    let runtime: RuntimeKind

    static let allCases: [ExecutorKind] = Pool.allCases.flatMap { pool in
        RuntimeKind.allCases.map { ExecutorKind(pool: pool, runtime: $0) }
    }

    var testDescription: String { "\(pool.rawValue)/\(runtime.rawValue)" }

    /// Runs `body` with an executor of this kind (shut down afterwards), on a
    /// thread of a fresh runtime, under the deadlock alarm.
    func run<R: Sendable>(
        maxWorkers: Int? = nil,
        seconds: Double = 60,
        _ body: @escaping @Sendable (any Executor) throws -> R
    ) async throws -> R {
        try await runtime.run(seconds: seconds) {
            let executor = try makeExecutor(maxWorkers: maxWorkers)
            defer { executor.shutdown(wait: true, cancelFutures: true) }
            return try body(executor)
        }
    }

    /// An executor of this kind in the calling thread's runtime.
    func makeExecutor(maxWorkers: Int? = nil) throws -> any Executor {
        switch pool {
        case .threadPool: try ThreadPoolExecutor(maxWorkers: maxWorkers)
        }
    }
}

extension RuntimeKind {
    /// Runs `body` on a thread of a fresh runtime of this kind, under the alarm.
    func run<R: Sendable>(seconds: Double = 60, _ body: @escaping @Sendable () throws -> R) async throws -> R {
        let runtime = makeRuntime()
        return try await withDeadlockAlarm(seconds: seconds, runtime: runtime, body)
    }
}
