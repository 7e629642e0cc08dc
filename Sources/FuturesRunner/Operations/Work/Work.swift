import FuturesCore
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

extension HashOperation {
    func runHash(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let value = try interpreter.hash(Self.key, bytes: try interpreter.evaluate(bytes, scope),
                                         rounds: try rounds.map { try interpreter.evaluate($0, scope) }, gil: scope.gil)
        if let name { scope.bind(name, value) }
        return .next
    }
}

extension SHA256Operation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow { try runHash(in: interpreter, scope: scope) }
}

extension RC4Operation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow { try runHash(in: interpreter, scope: scope) }
}

extension WriteLogsOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let folder = try directory.map { try interpreter.evaluate($0, scope).description } ?? WebLogs.newTemporaryDirectory()
        guard case .int(let fileCount) = try interpreter.evaluate(files, scope), case .int(let lineCount) = try interpreter.evaluate(lines, scope),
              fileCount >= 0, lineCount >= 0 else {
            throw ScenarioRaised(type: "TypeError", message: "write_logs needs whole numbers of files and lines")
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
