import Foundation
import FuturesCore
import FuturesNet
import FuturesScenario

extension HTTPGetOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let flagServer = try interpreter.object(server, scope, as: FlagServer.self)
        let values = scope.values
        var file: String?
        if let saveAs {
            let folder = try directory.map { try interpreter.evaluate($0, scope).description } ?? interpreter.sync.downloadsDirectory()
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            file = folder + "/" + (try interpreter.render(saveAs, values))
        }
        let outcome = HTTPDownload.get(flagServer.baseURL + (try interpreter.render(path, values)),
                                       timeout: try interpreter.seconds(timeout, scope, "timeout") ?? .seconds(10), saveTo: file)
        if let name { scope.bind(name, .string(outcome.status.rawValue)) }
        if let errorName { scope.bind(errorName, .string(outcome.status == .error ? outcome.detail ?? "error" : "")) }
        if let header, let headerName {
            let field = try interpreter.evaluate(header, scope).description
            scope.bind(headerName, outcome.header(field).map { .string($0) } ?? .none)
        }
        return .next
    }
}

extension EchoLoadOperation: RunnableOperation {
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let echoServer = try interpreter.object(server, scope, as: EchoServer.self)
        let load = EchoLoad.run(port: echoServer.port, clients: try Self.count(clients, interpreter, scope, "clients"),
                                messages: try Self.count(messages, interpreter, scope, "messages"),
                                size: max(1, try Self.count(size, interpreter, scope, "size")),
                                pause: try interpreter.seconds(pause, scope, "pause") ?? .zero)
        for failure in load.failures.prefix(5) { interpreter.log("echo load: \(failure)", level: "error") }
        let stats = echoServer.statistics
        let values = [load.clientsOK, load.bytesChecked, load.mismatches, load.failures.count, stats.peakHandlers, stats.threadsStarted]
        for (variable, value) in zip(Self.names(name), values) { scope.bind(variable, .int(value)) }
        return .next
    }

    /// A whole number from 0 to 10,000: loads stop by themselves.
    private static func count(_ expression: FuturesScenario.Expression, _ interpreter: Interpreter, _ scope: Interpreter.Scope,
                              _ what: String) throws -> Int {
        guard case .int(let number) = try interpreter.evaluate(expression, scope), (0...10_000).contains(number) else {
            throw ScenarioRaised(type: "ValueError", message: "echo_load \(what) must be a whole number from 0 to 10,000")
        }
        return number
    }
}
