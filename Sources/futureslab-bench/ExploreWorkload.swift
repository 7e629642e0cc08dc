import Foundation

/// `explore`'s throughput: the release `futureslab` beside this benchmark
/// explores scenarios in its worker processes (one per core), and reports
/// the runs a second it measured over the whole exploration (workers'
/// start-up included).
enum ExploreWorkload {
    /// The scenarios measured and their keys: shared_counter (537
    /// scheduling points, ~1,800 steps of the interpreter a run) and
    /// race_hunt (a dozen points).
    static let scenarios = [
        ("explore_runs_per_s", "scenarios/shared_counter.yaml", 4_000),
        ("explore_runs_per_s_race_hunt", "scenarios/race_hunt.yaml", 20_000),
    ]

    static func measure() throws -> [(String, Double)] {
        let executable = URL(fileURLWithPath: ChildProcess.currentExecutable).deletingLastPathComponent().appendingPathComponent("futureslab").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ChildProcess.Failure(description: "the explore workload needs futureslab built beside this benchmark (swift build -c release)")
        }
        let root = repositoryRoot()
        var results: [(String, Double)] = []
        for (key, scenario, runs) in scenarios {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["explore", root + "/" + scenario, "--runs", String(runs), "--json"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            // Exit 1 is a failing class (race_hunt has one): still a measurement.
            guard process.terminationStatus <= 1,
                  let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let rate = (object["runs_per_second"] as? NSNumber)?.doubleValue else {
                throw ChildProcess.Failure(description: "explore of \(scenario) exited with status \(process.terminationStatus)")
            }
            results.append((key, rate))
        }
        return results
    }

    /// The checkout this benchmark was built in (its scenarios are there).
    static func repositoryRoot() -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }
}
