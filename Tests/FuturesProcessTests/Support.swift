import Foundation
import FuturesCore
import FuturesProcess
import Testing

/// Where the worker binary is: the built `futureslab`, next to the test
/// bundle (it registers `StandardTasks` and serves as a worker).
enum Worker {
    static let executable: String = {
        let bundle = Bundle.main.bundleURL
        for directory in [bundle.path, bundle.deletingLastPathComponent().path] {
            let path = directory + "/futureslab"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/.build/debug/futureslab"
    }()

    static let registered: Void = StandardTasks.register()
}

/// The two ways a process pool runs: real processes (native runtime) and
/// simulated ones (deterministic runtime).
enum PoolKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case processes, simulated

    var testDescription: String { rawValue }

    /// Runs `body` in the kind's runtime; in the deterministic one, inside a run.
    func run(_ body: @escaping @Sendable () throws -> Void) throws {
        _ = Worker.registered
        switch self {
        case .processes:
            try body()
        case .simulated:
            try DeterministicRuntime(seed: 1).run { try body() }
        }
    }

    func pool(maxWorkers: Int? = nil, maxTasksPerChild: Int? = nil, initializer: ProcessInitializer? = nil) throws -> ProcessPoolExecutor {
        try ProcessPoolExecutor(maxWorkers: maxWorkers, maxTasksPerChild: maxTasksPerChild, initializer: initializer,
                                executable: Worker.executable)
    }
}

/// Children of ours that stay unreaped: a worker that just died is a zombie
/// until its pool's reader thread reaps it, and other suites running in
/// parallel have children of their own (the command-line tests' `futureslab`
/// runs, reaped by Foundation's `Process` when it gets to it) — so only those
/// still zombies after ten seconds count. (Two were once not enough under
/// ThreadSanitizer with every suite running; a leaked worker stays a zombie
/// for ever.)
func zombieChildren() -> [Int32] {
    var zombies = Set(currentZombies())
    let deadline = Date().addingTimeInterval(10)
    while !zombies.isEmpty, Date() < deadline {
        usleep(50_000)
        zombies.formIntersection(currentZombies())
    }
    return zombies.sorted()
}

private func currentZombies() -> [Int32] {
    let me = getpid()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && fields[0] == "Z" && Int32(fields[1]) == me
    }
}
