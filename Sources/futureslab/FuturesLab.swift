import ArgumentParser
import FuturesCore

@main
struct FuturesLab: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "futureslab",
        abstract: "An interactive terminal dashboard for concurrency experiments.",
        discussion: """
            FuturesLab runs declarative experiments (scenario files) on a faithful \
            Swift port of Python's concurrent.futures and shows, live, one timeline \
            lane per worker and the state of every future.

            Status (\(version)): the executor core is in place — Future, \
            ThreadPoolExecutor, asCompleted, wait, map — with its conformance suite \
            and the benchmark `swift run -c release futureslab-bench`.

            Coming next, in this order:
              deterministic runtime  seeded scheduling, virtual time, deadlocks
              run / check / list     scenario files, headless reports
              replay / export        recorded traces, Chrome trace, SVG
              the dashboard          live ncurses timelines, runs and replays
              process pools          real worker processes, a GIL model
              Cookbook toolkit       locks, events, queues, actors, pub/sub
              network experiments    echo server, flag downloads (loopback)
            """,
        version: version
    )

    func run() throws {
        print(Self.helpMessage())
    }
}
