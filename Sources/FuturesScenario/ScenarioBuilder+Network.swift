import Yams

/// The flag server, the echo server and their operations (issue 8's real
/// network experiments), and their checks.
extension ScenarioBuilder {
    static let serverModes = ["local", "delay", "error"]

    /// `mode`, `delay`, `error_rate` and `executor` of a server object.
    func serverField(_ key: String, _ value: Node, _ spec: inout ObjectSpec) {
        switch key {
        case "mode":
            guard let mode = reader.string(value, "mode") else { return }
            if Self.serverModes.contains(mode) { spec.mode = mode } else {
                reader.error(value, "mode must be one of \(Self.serverModes.joined(separator: ", ")), not '\(mode)'")
            }
        case "delay":
            guard let seconds = reader.number(value, "delay") else { return }
            if seconds < 0 { reader.error(value, "delay: a duration cannot be negative (\(seconds))") } else { spec.delay = seconds }
        case "error_rate":
            guard let rate = reader.number(value, "error_rate") else { return }
            if rate < 0 || rate > 1 { reader.error(value, "error_rate is a share between 0 and 1, not \(rate)") } else { spec.errorRate = rate }
        default:
            spec.executor = reader.identifier(value, "executor")
        }
    }

    /// Server fields only on servers; an echo server's executor is a thread
    /// pool of the scenario; a scenario with a server runs natively.
    func checkServers(_ scenario: Scenario) {
        for spec in scenario.objects {
            let isFlagServer = spec.kind == .httpServer, isEchoServer = spec.kind == .echoServer
            if !isFlagServer, spec.mode != "local" || spec.delay != 0.5 || spec.errorRate != 0.25 {
                reader.error(spec.location, "object '\(spec.name)': only an http_server takes mode, delay and error_rate")
            }
            if !isEchoServer, spec.executor != nil {
                reader.error(spec.location, "object '\(spec.name)': only an echo_server takes an executor")
            }
            if let executor = spec.executor, isEchoServer {
                switch scenario.executors.first(where: { $0.name == executor })?.kind {
                case .thread?, .mpThreadPool?: break
                case .process?, .mpPool?: reader.error(spec.location, "echo_server '\(spec.name)': executor '\(executor)' is a process pool; connections go to a thread pool")
                case nil: reader.error(spec.location, "echo_server '\(spec.name)': no executor named '\(executor)'")
                }
            }
        }
        if scenario.runtime.kind == .deterministic, let server = scenario.firstServer {
            reader.error(server.location, Scenario.nativeOnly(server))
        }
    }
}
