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
    /// The parameters in force in the parent (a worker reads the file with
    /// them, so `--set` reaches tasks in worker processes too).
    var params: [String: Value] = [:]
    /// The call's random stream (its seed and name), as in the parent.
    var randomSeed: UInt64 = 0
    var randomKey: String = ""

    var description: String { "\(task)(\(arguments.map(\.repr).joined(separator: ", ")))" }
}

/// The process task that runs scenario tasks in worker processes.
public enum ScenarioTasks {
    static let call = ProcessTask<ScenarioCall, Value>("futureslab.scenario-task")

    private static let cache = Locked<[String: Scenario]>([:])

    /// Registers it (idempotent); the CLI calls it before serving as a worker.
    public static func register() {
        ProcessTasks.register(call) { request in
            let scenario = try load(request.file, params: request.params)
            guard let task = scenario.tasks[request.task] else {
                throw ValueError("scenario \(request.file) has no task '\(request.task)'")
            }
            let interpreter = Interpreter(scenario: scenario)
            interpreter.randomSeed = request.randomSeed
            return try interpreter.call(task, request.arguments, random: RandomSlot(seed: request.randomSeed, key: request.randomKey))
        }
    }

    private static func load(_ file: String, params: [String: Value]) throws -> Scenario {
        let settings = params.keys.sorted().map { (name: $0, value: params[$0]!) }
        let key = file + "?" + settings.map { "\($0.name)=\($0.value.repr)" }.joined(separator: "&")
        if let scenario = cache.read({ $0[key] }) { return scenario }
        switch ScenarioParser.parse(file: file, settings: settings) {
        case .success(let scenario):
            cache.write { $0[key] = scenario }
            return scenario
        case .failure(let errors):
            throw ValueError("cannot read scenario \(file) in the worker: \(errors)")
        }
    }
}
