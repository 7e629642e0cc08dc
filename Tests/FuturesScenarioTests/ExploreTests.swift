import Foundation
import Testing

/// `futureslab explore` as a user (or a CI check) runs it: outcome classes,
/// minimal failing schedules that replay, shards that merge, bad input.
@Suite("futureslab explore")
struct ExploreTests {
    static func explore(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandLineTests.Outcome {
        try CommandLineTests.futureslab(["explore"] + arguments, environment: environment)
    }

    static func json(_ outcome: CommandLineTests.Outcome) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], "not JSON: \(outcome.stdout)")
    }

    static func classes(_ summary: [String: Any]) -> [[String: Any]] { summary["classes"] as? [[String: Any]] ?? [] }

    static func counts(_ summary: [String: Any]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for item in classes(summary) {
            let outcome = item["outcome"] as? [String: Any] ?? [:]
            let key = String(decoding: try! JSONSerialization.data(withJSONObject: outcome, options: .sortedKeys), as: UTF8.self)
            counts[key] = item["count"] as? Int
        }
        return counts
    }

    @Test("shared_counter: the unlocked totals fall into several classes, the locked ones are always exact; counts sum to the runs; seeds and distinct interleavings are reported")
    func sharedCounterClasses() throws {
        let outcome = try Self.explore(["scenarios/shared_counter.yaml", "--runs", "120", "--set", "threads=2", "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let summary = try Self.json(outcome)
        let recorded = try #require(summary["recorded"] as? [String: [String: Int]])
        #expect((recorded["without_lock"]?.count ?? 0) > 1, "\(recorded)")
        #expect(recorded["with_lock"] == ["50": 120] && recorded["with_rlock"] == ["50": 120])
        let classes = Self.classes(summary)
        #expect(classes.count > 1)
        #expect(classes.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 120)
        #expect(classes.allSatisfy { !($0["first_seeds"] as? [Int] ?? []).isEmpty && $0["shortest"] != nil })
        #expect((summary["interleavings"] as? Int ?? 0) > 1)
        #expect(summary["completed"] as? Int == 120)
    }

    @Test("race_hunt: explore finds the failing class (exit 1), shrinks it to one preemption and saves it; run --schedule of the saved file reproduces the failure; with the lock every run holds (exit 0)")
    func raceHunt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("explore-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try Self.explore(["scenarios/race_hunt.yaml", "--runs", "400", "--save-failing", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("✗ sold == 1 — got 2"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("minimal schedule: 1 preemption"))
        let saved = try FileManager.default.contentsOfDirectory(atPath: directory)
        let file = try #require(saved.first { $0.hasSuffix(".json") })
        let replay = try CommandLineTests.futureslab("run", "scenarios/race_hunt.yaml", "--schedule", directory + "/" + file, "--json")
        #expect(replay.status == 1)
        #expect(replay.stdout.contains("sold == 1 — got 2"))
        let fixed = try Self.explore(["scenarios/race_hunt.yaml", "--runs", "400", "--set", "lock=true"])
        #expect(fixed.status == 0, "\(fixed.stdout)")
        #expect(fixed.stdout.contains("✓ every expectation held in all 400 runs"))
    }

    @Test("--shard 0/2 and 1/2, merged, give the unsharded counts and interleavings; a shard twice is refused")
    func shardsMerge() throws {
        let whole = try Self.json(try Self.explore(["scenarios/race_hunt.yaml", "--runs", "300", "--json"]))
        let first = try CommandLineTests.temporaryFile("a.json", try Self.explore(["scenarios/race_hunt.yaml", "--runs", "300", "--shard", "0/2", "--json"]).stdout)
        let second = try CommandLineTests.temporaryFile("b.json", try Self.explore(["scenarios/race_hunt.yaml", "--runs", "300", "--shard", "1/2", "--json"]).stdout)
        let merged = try Self.explore(["--merge", first, second, "--json"])
        #expect(merged.status == 1, "race_hunt fails in some runs: \(merged.stderr)")
        let summary = try Self.json(merged)
        #expect(Self.counts(summary) == Self.counts(whole))
        #expect(summary["interleavings"] as? Int == whole["interleavings"] as? Int)
        #expect(summary["completed"] as? Int == 300)
        let twice = try Self.explore(["--merge", first, first])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("shard 0/2 is there twice"))
    }

    @Test("a worker that dies is reported with the seed it was running, and the other seeds still run")
    func crashedWorker() throws {
        let outcome = try Self.explore(["scenarios/race_hunt.yaml", "--runs", "30", "--set", "lock=true", "--json"],
                                       environment: ["FUTURESLAB_EXPLORE_CRASH_SEED": "7"])
        #expect(outcome.status == 1)
        let summary = try Self.json(outcome)
        let crashes = try #require(summary["crashes"] as? [[String: Any]])
        #expect(crashes.count == 1)
        #expect(crashes.first?["seed"] as? Int == 7)
        #expect((crashes.first?["reason"] as? String)?.contains("signal 9") == true)
        #expect(summary["completed"] as? Int == 29)
    }

    @Test("bad input runs nothing and exits 2: --runs 0, --jobs 0, --shard 3/2, a native-only scenario, a file that is not a shard's JSON",
          arguments: [
              ["scenarios/race_hunt.yaml", "--runs", "0"], ["scenarios/race_hunt.yaml", "--jobs", "0"],
              ["scenarios/race_hunt.yaml", "--shard", "3/2"], ["scenarios/race_hunt.yaml", "--shard", "two"],
              ["scenarios/echo_server_pool.yaml"], ["--merge", "scenarios/race_hunt.yaml"],
          ])
    func badInput(arguments: [String]) throws {
        let outcome = try Self.explore(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(!outcome.stderr.isEmpty)
    }
}
