import ArgumentParser
import FuturesModel
import FuturesReport
import FuturesTrace
import FuturesTraceSchema

struct Export: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case chrome, svg, html }

    static let configuration = CommandConfiguration(
        abstract: "Export a recorded trace: Chrome Trace Event JSON (Perfetto), an SVG timeline, or an HTML handout.")

    @Argument(help: "A trace file written by `run --trace`.")
    var trace: String

    @Option(help: "chrome, svg or html (a self-contained handout that prints on A4).")
    var format: Format

    @Option(name: .shortAndLong, help: "The output file.")
    var output: String

    func run() throws {
        let read = TraceReader.read(contentsOf: trace)
        if let error = read.error {
            printError(error.description)
            throw ExitCode(2)
        }
        guard let header = read.header else { throw ExitCode(2) }
        switch format {
        case .chrome: try write(ChromeTraceExporter.export(header: header, events: read.events), to: output)
        case .svg: try write(SVGTimeline.render(RunModel(header: header, events: read.events)), to: output)
        case .html: try write(HTMLHandout.render(RunModel(header: header, events: read.events)), to: output)
        }
    }
}
