import FuturesCore
import FuturesModel
import FuturesScenario
import FuturesTraceSchema

/// What one deterministic run of a scenario came to, as `explore` sorts
/// runs into classes: every expectation's result, whether it deadlocked,
/// the error main did not handle, and the values it `record`ed.
public struct ExploreOutcome: Sendable, Hashable, Codable {
    public struct Check: Sendable, Hashable, Codable {
        public var text: String
        public var passed: Bool
    }

    public struct Record: Sendable, Hashable, Codable {
        public var name: String
        public var value: String
    }

    public var expectations: [Check]
    public var deadlock: Bool
    public var error: String?
    public var records: [Record]
    /// The run's exit status was 0 (every expectation held, no unexpected deadlock or error).
    public var passed: Bool

    /// Two runs are in one class when their outcomes are equal; this is the
    /// class's name in JSON and across shards.
    public var key: String {
        var parts = expectations.map { ($0.passed ? "ok " : "FAIL ") + $0.text }
        parts.append(deadlock ? "deadlock" : "no deadlock")
        if let error { parts.append("error " + error) }
        parts += records.map { "\($0.name)=\($0.value)" }
        return parts.joined(separator: "\n")
    }
}

/// One run `explore` made: its seed, its outcome, and its schedule's shape.
public struct ExploreRun: Sendable {
    public var seed: UInt64
    public var outcome: ExploreOutcome
    /// Scheduling points passed.
    public var steps: Int
    /// Points where the running thread could have gone on but another ran.
    public var preemptions: Int
    /// FNV-1a of the choices: equal hashes, (almost surely) one interleaving.
    public var scheduleHash: UInt64
    /// The choices themselves (a schedule file's `picks` and `runnable`).
    public var picks: [Int]
    public var runnable: [Int]
}

/// Runs a scenario under the deterministic runtime for `explore`: one seed
/// at a time, or guided by a chooser (the minimiser).
public enum Exploration {
    /// Runs `scenario` with `seed` and `strategy`; `guide` (if any) makes the choices.
    public static func run(_ scenario: Scenario, seed: UInt64, strategy: RuntimeSpec.Strategy,
                           guide: (@Sendable (SchedulingPoint) -> Int)? = nil) -> ExploreRun {
        var scenario = scenario
        scenario.runtime.kind = .deterministic
        scenario.runtime.strategy = strategy
        var options = RunOptions(seed: seed, runtime: .deterministic)
        options.guide = guide
        options.lean = true
        let result = ScenarioRunner.run(scenario, options: options)
        let model = result.model
        let outcome = ExploreOutcome(
            expectations: model.expectations.map { .init(text: $0.text, passed: $0.passed) },
            deadlock: !model.deadlocks.isEmpty,
            error: result.uncaughtError,
            records: model.measurements.map { .init(name: $0.name, value: Value.formatWhole($0.value)) },
            passed: result.exitCode == .success)
        let schedule = result.schedule ?? ([], [])
        return ExploreRun(seed: seed, outcome: outcome, steps: schedule.picks.count, preemptions: result.preemptions,
                          scheduleHash: hash(schedule.picks, schedule.runnable), picks: schedule.picks, runnable: schedule.runnable)
    }

    /// FNV-1a over the picks and the runnable counts.
    static func hash(_ picks: [Int], _ runnable: [Int]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (pick, count) in zip(picks, runnable) {
            hash = (hash ^ UInt64(truncatingIfNeeded: pick)) &* 0x100_0000_01b3
            hash = (hash ^ UInt64(truncatingIfNeeded: count)) &* 0x100_0000_01b3
        }
        return hash
    }
}
