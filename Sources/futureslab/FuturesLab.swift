import ArgumentParser
import Foundation
import FuturesCore
import FuturesProcess
import FuturesRunner

@main
struct FuturesLab: ParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "futureslab",
        abstract: "Concurrency experiments on a Swift port of Python's concurrent.futures.",
        discussion: """
            A scenario file describes an experiment: the executors, the tasks, the \
            main program, and what the audience should expect. `run` executes it on \
            the executor core — deterministically (seeded, virtual time) or natively \
            — and prints the log, a timeline per worker, every future and each \
            expectation.

              futureslab run scenarios/loiter_map.yaml
              futureslab run scenarios/deadlock_mutual_wait.yaml --seed 7 --trace t.jsonl
              futureslab replay t.jsonl
              futureslab export t.jsonl --format svg -o timeline.svg

            Exit codes: 0 every expectation held; 1 an expectation failed (or the \
            main program raised an error it did not handle); 2 invalid input; 3 the \
            run deadlocked and the scenario did not expect it.
            """,
        version: version,
        subcommands: [Run.self, Attach.self, Stop.self, Check.self, List.self, Replay.self, Compare.self, Schedule.self, Explore.self, Export.self,
                      Schema.self, Operations.self]
    )

    /// As ArgumentParser's, but a command line it cannot take exits with 2
    /// (invalid input, like a bad scenario) rather than 64.
    static func main() {
        // Process pools run this same binary as their workers.
        StandardTasks.register()
        ScenarioTasks.register()
        ProcessWorker.runIfWorker()
        // A closed pipe is an error to report, not a signal to die of.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                _ = finishStandardOutput()
                Foundation.exit(2)
            }
            if !finishStandardOutput() { Foundation.exit(max(1, exitCode(for: error).rawValue)) }
            exit(withError: error)
        }
        if !finishStandardOutput() { Foundation.exit(1) }
    }
}
