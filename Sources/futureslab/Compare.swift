import ArgumentParser
import FuturesModel
import FuturesReport
import FuturesTraceSchema

/// `futureslab compare A.jsonl B.jsonl`: two runs side by side — each future's
/// start and finish in both and how far it moved, the completion order, the
/// elapsed time, deadlock and expectations of each.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two traces (the same scenario with other parameters or seeds, or two scenarios).",
        discussion: """
            Futures are matched by label (the second loiter(1) of one run with the second of the other). \
            A corrupt or truncated trace names its bad line and exits 2.
            """)

    @Argument(help: "The first trace (A), written by `run --trace`.")
    var first: String

    @Argument(help: "The second trace (B).")
    var second: String

    @Flag(help: "Print the comparison instead of opening the two runs stacked in the dashboard (the default when stdout is not a terminal).")
    var headless = false

    @OptionGroup var report: ReportOptions

    @OptionGroup var playback: PlaybackOptions

    func run() throws {
        var models: [RunModel] = []
        var versions: [Int] = []
        var runs: [StackedRuns.Run] = []
        for (name, path) in [("A", first), ("B", second)] {
            let read = TraceReader.read(contentsOf: path)
            if let error = read.error {
                printError(error.description)
                throw ExitCode(2)
            }
            models.append(RunModel(header: read.header, events: read.events))
            versions.append(read.header?.version ?? TraceHeader.currentVersion)
            runs.append(StackedRuns.Run(name: name, header: read.header, events: read.events))
        }
        if report.opensDashboard(headless: headless) {
            let stacked = StackedRuns.merge(runs)
            let status = DashboardSession(source: .replay(header: stacked.header, events: stacked.events),
                                          view: playback.view(color: report.wantsColor)).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        if versions[0] != versions[1] {
            printError("note: \(first) is trace version \(versions[0]) and \(second) version \(versions[1]); "
                       + "version 1 has no executor, object or question lines, so its lanes and objects say less")
        }
        let comparison = RunComparison(models[0], named: first, models[1], named: second)
        print(report.json ? comparison.json() : comparison.text(style: report.style), terminator: "")
    }
}
