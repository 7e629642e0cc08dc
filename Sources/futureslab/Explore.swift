import ArgumentParser
import Foundation
import FuturesReport
import FuturesRunner
import FuturesScenario
#if canImport(Glibc)
import Glibc
#endif

extension RuntimeSpec.Strategy: ExpressibleByArgument {}

/// `futureslab explore FILE --runs N`: the scenario under many seeds, in
/// worker processes, sorted into outcome classes (docs/schedules.md).
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario under many schedules and report which outcomes occur, how often, and a minimal failing schedule.",
        discussion: """
            Each seed is one deterministic run (virtual time) in a worker process. Runs are \
            sorted into outcome classes (the expectations' results, a deadlock, an error, the \
            values `record`ed), each with its count, its first seeds and its shortest schedule; \
            a failing class's schedule is shrunk (preemptions removed while it still fails) and \
            saved with --save-failing for `run --schedule`. Exit 0 when every run held every \
            expectation, 1 otherwise, 2 on invalid input.

              futureslab explore scenarios/race_hunt.yaml --runs 10000 --save-failing failing/
              futureslab explore scenarios/race_hunt.yaml --runs 10000 --shard 0/2 --json > a.json
              futureslab explore --merge a.json b.json
            """)

    @Argument(help: "The scenario file; with --merge, the JSON outputs of `explore --shard … --json` to join.")
    var files: [String] = []

    @Option(help: "How many seeds to run (from --seed-from).")
    var runs: Int = 1000

    @Option(help: "random, pct or round-robin (default: the scenario's).")
    var strategy: RuntimeSpec.Strategy?

    @Option(help: "The first seed.")
    var seedFrom: UInt64 = 0

    @Option(help: "Worker processes (default: the cores of this machine).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Take every M-th seed from I (0 ≤ I < M), for a batch of machines; join with --merge.", valueName: "I/M"))
    var shard: String?

    @Option(help: "Save each failing class's minimal schedule here (a file `run --schedule` replays).")
    var saveFailing: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Set a parameter the scenario declares (repeatable).", valueName: "name=value"))
    var settings: [String] = []

    @Flag(help: "Join the JSON outputs of sharded explorations into one report.")
    var merge = false

    @Flag(help: "Print the report as JSON (what --merge reads).")
    var json = false

    /// A worker process's share: `first:stride:count` seeds (internal).
    @Option(help: .hidden)
    var worker: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError(merge ? "--merge needs the JSON files to join" : "explore needs a scenario file") }
        if !merge, files.count > 1 { throw ValidationError("explore takes one scenario file (several are joined only with --merge)") }
        if runs < 1 { throw ValidationError("--runs must be at least 1 (got \(runs))") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
        if let shard { _ = try Self.parseShard(shard) }
    }

    static func parseShard(_ text: String) throws(ValidationError) -> ExploreSummary.Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ValidationError("--shard takes I/M (shard I of M, from 0), not '\(text)'")
        }
        guard count >= 1, index >= 0, index < count else {
            throw ValidationError("--shard \(text): I must be at least 0 and below M (shards 0/\(max(count, 1)) … \(max(count, 1) - 1)/\(max(count, 1)))")
        }
        return ExploreSummary.Shard(index: index, count: count)
    }

    func run() throws {
        if merge { return try mergeShards() }
        let scenario: Scenario
        switch ScenarioParser.parse(file: files[0], settings: try parseSettings(settings)) {
        case .success(let parsed): scenario = ScenarioRunner.located(parsed)
        case .failure(let errors):
            printError(errors.description)
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        if let refusal = scenario.refusal(in: .deterministic) {
            printError("\(refusal) — explore needs the deterministic runtime")
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        let strategy = strategy ?? scenario.runtime.strategy
        if let worker { return try runWorker(scenario, strategy: strategy, share: worker) }

        let shard = try shard.map { try Self.parseShard($0) }
        var summary = ExploreSummary(scenario: scenario.name, file: files[0], strategy: strategy.rawValue,
                                     seedFrom: seedFrom, runs: runs, shards: shard.map { [$0] } ?? [])
        let seeds = (shard ?? .init(index: 0, count: 1)).seeds(first: seedFrom, runs: runs)
        let jobs = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, max(1, seeds.underestimatedCount))
        let arguments = ["explore", files[0], "--strategy", strategy.rawValue] + settings.flatMap { ["--set", $0] }
        let exploration = ExploreWorkers(arguments: arguments, seeds: Array(seeds), jobs: jobs,
                                         progress: isatty(STDERR_FILENO) != 0 && !json)
        let found = exploration.run()
        summary.elapsedSeconds = found.elapsed
        summary.runsPerSecond = found.elapsed > 0 ? Double(found.runs.count) / found.elapsed : nil
        for run in found.runs {
            summary.add(seed: run.seed, outcome: found.outcomes[run.outcome], steps: run.steps, preemptions: run.preemptions)
        }
        summary.setHashes(Set(found.runs.map(\.hash)))
        summary.crashes = found.crashes
        summary.sortClasses()
        try minimiseFailing(&summary, scenario: scenario, strategy: strategy)
        print(json ? summary.json() : ExploreText.render(summary, style: ReportStyle(color: isatty(STDOUT_FILENO) != 0)), terminator: "")
        if !summary.passed { throw ExitCode(RunExitCode.expectationFailed.rawValue) }
    }

    /// Shrinks every failing class's shortest run and saves it where asked.
    private func minimiseFailing(_ summary: inout ExploreSummary, scenario: Scenario, strategy: RuntimeSpec.Strategy) throws {
        if let saveFailing {
            try FileManager.default.createDirectory(atPath: saveFailing, withIntermediateDirectories: true)
        }
        for index in summary.classes.indices where !summary.classes[index].outcome.passed {
            let seed = summary.classes[index].shortest.seed
            let minimal = ScheduleMinimiser.minimise(scenario, seed: seed, strategy: strategy)
            var example = ExploreSummary.Example(seed: seed, preemptions: minimal.preemptions, steps: minimal.steps)
            if let saveFailing {
                let path = (saveFailing as NSString).appendingPathComponent("\(scenario.name)-class\(index + 1)-seed\(seed).json")
                let file = ScheduleFile(program: scenario.name, seed: seed, strategy: strategy.rawValue,
                                        picks: minimal.picks, runnable: minimal.runnable)
                try write(file.json, to: path)
                example.file = path
            }
            summary.classes[index].minimal = example
        }
    }

    /// A worker process: runs its seeds and reports each on stdout, a line
    /// a run, written in batches (every 256 runs or 100 ms), or each at once
    /// with `:exact`, so a crash loses nothing but the seed it hit.
    private func runWorker(_ scenario: Scenario, strategy: RuntimeSpec.Strategy, share: String) throws {
        var fields = share.split(separator: ":")
        let exact = fields.last == "exact"
        if exact { fields.removeLast() }
        let numbers = fields.compactMap { UInt64($0) }
        guard numbers.count == 3, fields.count == 3 else { throw ValidationError("--worker takes first:stride:count[:exact]") }
        let crashSeed = ProcessInfo.processInfo.environment["FUTURESLAB_EXPLORE_CRASH_SEED"].flatMap(UInt64.init)
        var classes: [ExploreOutcome: Int] = [:]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var batch = ""
        var batched = 0
        var lastWrite = ContinuousClock.now
        for seed in stride(from: numbers[0], to: numbers[0] + numbers[1] * numbers[2], by: Int(numbers[1])) {
            // Fault injection for the tests of crash reporting.
            if seed == crashSeed { kill(getpid(), SIGKILL) }
            let run = Exploration.run(scenario, seed: seed, strategy: strategy)
            if classes[run.outcome] == nil {
                classes[run.outcome] = classes.count
                batch += "C\t" + String(decoding: try encoder.encode(run.outcome), as: UTF8.self) + "\n"
            }
            batch += "R\t\(seed)\t\(classes[run.outcome]!)\t\(run.scheduleHash)\t\(run.steps)\t\(run.preemptions)\n"
            batched += 1
            if exact || batched >= 256 || lastWrite.duration(to: .now) >= .milliseconds(100) {
                writeStandardOutput(batch)
                batch = ""
                batched = 0
                lastWrite = .now
            }
        }
        writeStandardOutput(batch + "E\n")
    }

    private func mergeShards() throws {
        var parts: [(path: String, summary: ExploreSummary)] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path),
                  let summary = try? ExploreSummary.read(json: data) else {
                printError("futureslab explore --merge: \(path): cannot be read as the JSON output of `explore --json`")
                throw ExitCode(RunExitCode.invalidInput.rawValue)
            }
            parts.append((path, summary))
        }
        switch ExploreSummary.merge(parts) {
        case .failure(let error):
            printError("futureslab explore --merge: \(error.description)")
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        case .success(let merged):
            print(json ? merged.json() : ExploreText.render(merged, style: ReportStyle(color: isatty(STDOUT_FILENO) != 0)), terminator: "")
            if !merged.passed { throw ExitCode(RunExitCode.expectationFailed.rawValue) }
        }
    }
}

/// Writes to file descriptor 1 as it is, at once.
func writeStandardOutput(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}
