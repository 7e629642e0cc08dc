import FuturesCore
import FuturesProcess
import FuturesScenario
import FuturesTraceSchema

extension SleepOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let duration = try interpreter.seconds(seconds, scope, "sleep") ?? .zero
        if let gil = scope.gil {
            gil.blockingIO { currentRuntime.sleep(for: duration) }
        } else {
            currentRuntime.sleep(for: duration)
        }
        return .next
    }
}

extension BusyOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let duration = try interpreter.seconds(seconds, scope, "busy") ?? .zero
        if let gil = scope.gil { gil.busy(for: duration) } else { currentRuntime.busy(for: duration) }
        return .next
    }
}

/// SHA-256 or RC4 for real; each says what it computes and what a byte
/// costs in virtual time.
protocol RunnableHash: HashOperation, RunnableOperation {
    /// The result of one round over `data`.
    static func digest(_ data: [UInt8]) -> Value
    /// What the deterministic runtime charges a byte (see docs/scenario-format.md).
    static var nanosecondsPerByte: Int64 { get }
}

extension RunnableHash {
    /// The most bytes one step hashes (`bytes`), and in all its rounds.
    static var maximumBytes: Int { 256 << 20 }
    static var maximumWork: Int { 4 << 30 }

    /// Runs the rounds for real; the deterministic runtime also charges the
    /// work in virtual time on a simulated core — under the GIL if the task
    /// holds it.
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let bytes = try interpreter.evaluate(self.bytes, scope)
        guard case .int(let count) = bytes, count >= 0 else {
            throw ScenarioRaised(type: "TypeError", message: "\(Self.key) needs a count of bytes, not \(bytes.repr)")
        }
        var times = 1
        if let rounds = try rounds.map({ try interpreter.evaluate($0, scope) }) {
            guard case .int(let number) = rounds, number >= 1 else {
                throw ScenarioRaised(type: "TypeError", message: "\(Self.key) rounds must be a whole number ≥ 1, not \(rounds.repr)")
            }
            times = number
        }
        // Documented limits (docs/scenario-format.md, "Limits"): real work a step can do.
        guard count <= Self.maximumBytes else {
            throw ScenarioRaised(type: "MemoryError", message: "\(Self.key) of \(count) bytes: over its limit of \(Self.maximumBytes) bytes")
        }
        guard count.multipliedReportingOverflow(by: times).partialValue <= Self.maximumWork, !count.multipliedReportingOverflow(by: times).overflow else {
            throw ScenarioRaised(type: "MemoryError", message: "\(Self.key): \(count) bytes × \(times) rounds is over its limit of \(Self.maximumWork) bytes of work")
        }
        let data = CPUWork.bytes(count: count)
        var result = Value.none
        for _ in 0..<times { result = Self.digest(data) }
        if currentRuntime.kind == .deterministic {
            let cost = Duration.nanoseconds(Int64(count) * Int64(times) * Self.nanosecondsPerByte)
            if let gil = scope.gil { gil.busy(for: cost) } else { currentRuntime.busy(for: cost) }
        }
        if let name { scope.bind(name, result) }
        return .next
    }
}

extension SHA256Operation: RunnableHash {
    static let nanosecondsPerByte: Int64 = 5
    static func digest(_ data: [UInt8]) -> Value { .string(CPUWork.sha256(data)) }
}

extension RC4Operation: RunnableHash {
    static let nanosecondsPerByte: Int64 = 3
    static func digest(_ data: [UInt8]) -> Value {
        .int(CPUWork.rc4(data, key: Array("futureslab".utf8)).reduce(0) { $0 &+ Int($1) })
    }
}

extension WriteLogsOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let folder = try directory.map { try interpreter.evaluate($0, scope).description } ?? WebLogs.newTemporaryDirectory()
        guard case .int(let fileCount) = try interpreter.evaluate(files, scope), case .int(let lineCount) = try interpreter.evaluate(lines, scope),
              fileCount >= 0, lineCount >= 0 else {
            throw ScenarioRaised(type: "TypeError", message: "write_logs needs whole numbers of files and lines")
        }
        guard fileCount <= 1_000, lineCount <= 10_000_000, fileCount * lineCount <= 20_000_000 else {
            throw ScenarioRaised(type: "MemoryError", message: "write_logs of \(fileCount) files × \(lineCount) lines: over its limits (1,000 files, 10,000,000 lines a file, 20,000,000 lines in all)")
        }
        let paths = try WebLogs.generate(directory: folder, files: fileCount, lines: lineCount, seed: 12)
        scope.bind(name, .list(paths.map { .string($0) }))
        return .next
    }
}

extension FindRobotsOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let path = try interpreter.evaluate(file, scope).description
        let (hosts, lines) = try WebLogs.robots(in: path)
        if currentRuntime.kind == .deterministic {
            // Charged in virtual time: reading and matching a log line.
            let cost = Duration.nanoseconds(Int64(lines) * Interpreter.logLineNanoseconds)
            if let gil = scope.gil { gil.busy(for: cost) } else { currentRuntime.busy(for: cost) }
        }
        scope.bind(name, .list(hosts.map { .string($0) }))
        return .next
    }
}
