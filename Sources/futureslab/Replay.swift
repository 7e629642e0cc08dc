import ArgumentParser
import FuturesModel
import FuturesReport
import FuturesTrace

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the report of a recorded trace.",
        discussion: "A corrupt or truncated trace: the report of what came before the bad line, the line's problem on stderr, exit 2.")

    @Argument(help: "A trace file written by `run --trace`.")
    var trace: String

    @OptionGroup var report: ReportOptions

    func run() throws {
        let read = TraceReader.read(contentsOf: trace)
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
