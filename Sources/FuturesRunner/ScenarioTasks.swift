import Foundation
import FuturesCore
import FuturesProcess
import FuturesScenario

/// A scenario task's call, as it crosses to a worker process: the scenario
/// file (the worker reads it itself, as Python's workers import the module),
/// the task's name, its arguments.
struct ScenarioCall: Codable, Sendable, CustomStringConvertible {
    var file: String
    var task: String
    var arguments: [Value]

    var description: String { "\(task)(\(arguments.map(\.repr).joined(separator: ", ")))" }
}

/// The process task that runs scenario tasks in worker processes.
public enum ScenarioTasks {
    static let call = ProcessTask<ScenarioCall, Value>("futureslab.scenario-task")

    private static let cache = Locked<[String: Scenario]>([:])

    /// Registers it (idempotent); the CLI calls it before serving as a worker.
    public static func register() {
        ProcessTasks.register(call) { request in
            let scenario = try load(request.file)
            guard let task = scenario.tasks[request.task] else {
                throw ValueError("scenario \(request.file) has no task '\(request.task)'")
            }
            return try Interpreter(scenario: scenario).call(task, request.arguments)
        }
    }

    private static func load(_ file: String) throws -> Scenario {
        if let scenario = cache.read({ $0[file] }) { return scenario }
        switch ScenarioParser.parse(file: file) {
        case .success(let scenario):
            cache.write { $0[file] = scenario }
            return scenario
        case .failure(let errors):
            throw ValueError("cannot read scenario \(file) in the worker: \(errors)")
        }
    }
}
