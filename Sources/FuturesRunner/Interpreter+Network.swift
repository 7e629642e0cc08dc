import Foundation
import FuturesCore
import FuturesNet
import FuturesScenario

/// The real servers of the network experiments: Fluent Python's flag
/// server and the Cookbook's echo server (12.7).
extension Interpreter {
    /// Starts a server object: it listens from before main's first step.
    func makeServer(_ spec: ObjectSpec) throws -> AnyObject {
        if spec.kind == .httpServer {
            let delay = Duration.seconds(saturating: spec.delay)
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
}
