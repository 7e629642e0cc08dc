import ArgumentParser
import Foundation
import FuturesModel
import FuturesReport
import FuturesTrace
import FuturesTraceSchema

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a recorded trace in the dashboard (or print its report).",
        discussion: "A corrupt or truncated trace: the report of what came before the bad line, the line's problem on stderr, exit 2.")

    @Argument(help: "A trace file written by `run --trace`.")
    var trace: String

    @Flag(help: "Print the report instead of opening the dashboard (the default when stdout is not a terminal).")
    var headless = false

    @OptionGroup var report: ReportOptions

    @OptionGroup var playback: PlaybackOptions

    func run() throws {
        let read = TraceReader.read(contentsOf: trace)
        if read.error == nil, report.opensDashboard(headless: headless) {
            let status = DashboardSession(source: .replay(header: read.header, events: read.events),
                                          view: playback.view(color: report.wantsColor)).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let model = RunModel(header: read.header, events: read.events)
        if read.header != nil {
            print(report.json ? SummaryJSON.render(model) : HeadlessReport.render(model, style: report.style), terminator: "")
        }
        if let error = read.error {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}
