import Foundation
import FuturesCore
import FuturesNet
import FuturesScenario

/// The real network experiments: the flag server and `http_get` (Fluent
/// Python's flags), the echo server and its load (Cookbook 12.7).
extension Interpreter {
    /// Starts a server object: it listens from before main's first step.
    func makeServer(_ spec: ObjectSpec) throws -> AnyObject {
        if spec.kind == .httpServer {
            let delay = Duration.nanoseconds(Int64((spec.delay * 1e9).rounded()))
            let mode: FlagServer.Mode = switch spec.mode {
            case "delay": .delay(delay)
            case "error": .error(rate: spec.errorRate, delay: delay)
            default: .local
            }
            let server = try FlagServer(mode: mode)
            log("\(spec.name): a \(mode) flag server on \(server.baseURL)")
            return server
        }
        let handling: EchoServer.Handling
        if let name = spec.executor {
            guard let executor = executors[name] else { throw ScenarioRaised(type: "NameError", message: "no executor '\(name)'") }
            handling = .pool(executor)
        } else {
            handling = .threadPerClient
        }
        let server = try EchoServer(name: spec.name, handling: handling)
        log("\(spec.name): an echo server on 127.0.0.1:\(server.port), \(spec.executor.map { "handing connections to \($0)" } ?? "a thread per client")")
        return server
    }

    func runNetwork(_ action: Action, in scope: Scope) throws {
        switch action {
        case .httpGet(let name, let path, let timeout, let saveAs, let directory, let target, let errorTarget):
            let server = try sync.object(try resolve(name, scope), as: FlagServer.self)
            let values = scope.values
            var file: String?
            if let saveAs {
                let folder = try directory.map { try evaluate($0, scope).description } ?? sync.downloadsDirectory()
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                file = folder + "/" + (try render(saveAs, values))
            }
            let outcome = HTTPDownload.get(server.baseURL + (try render(path, values)),
                                           timeout: try seconds(timeout, scope, "timeout") ?? .seconds(10), saveTo: file)
            if let target { scope.bind(target, .string(outcome.status.rawValue)) }
            if let errorTarget { scope.bind(errorTarget, .string(outcome.status == .error ? outcome.detail ?? "error" : "")) }
        case .echoLoad(let name, let clients, let messages, let size, let pause, let target):
            let server = try sync.object(try resolve(name, scope), as: EchoServer.self)
            let load = EchoLoad.run(port: server.port, clients: try count(clients, scope, "clients"),
                                    messages: try count(messages, scope, "messages"), size: max(1, try count(size, scope, "size")),
                                    pause: try seconds(pause, scope, "pause") ?? .zero)
            for failure in load.failures.prefix(5) { log("echo load: \(failure)", level: "error") }
            let stats = server.statistics
            let values = [load.clientsOK, load.bytesChecked, load.mismatches, load.failures.count, stats.peakHandlers, stats.threadsStarted]
            for (variable, value) in zip(Action.echoLoadNames(target), values) { scope.bind(variable, .int(value)) }
        default:
            break
        }
    }

    /// A whole number ≥ 0, bounded: loads stop by themselves.
    private func count(_ expression: FuturesScenario.Expression, _ scope: Scope, _ what: String) throws -> Int {
        guard case .int(let number) = try evaluate(expression, scope), (0...10_000).contains(number) else {
            throw ScenarioRaised(type: "ValueError", message: "echo_load \(what) must be a whole number from 0 to 10,000")
        }
        return number
    }
}
