import ArgumentParser
import FuturesModel
import FuturesReport
import FuturesTrace
import FuturesTraceSchema

struct Export: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case chrome, svg, html }

    static let configuration = CommandConfiguration(
        abstract: "Export a recorded trace: Chrome Trace Event JSON (Perfetto), an SVG timeline, or an HTML handout.")

    @Argument(help: "A trace file written by `run --trace`; several are exported side by side (stacked, and compared in the handout).")
    var traces: [String]

    @Option(help: "chrome, svg or html (a self-contained handout that prints on A4).")
    var format: Format

    @Option(name: .shortAndLong, help: "The output file (- for standard output).")
    var output: String

    func validate() throws {
        if traces.isEmpty { throw ValidationError("export needs a trace file") }
        try refuseOverwriting(output, inputs: traces, flag: "-o")
    }

    func run() throws {
        var runs: [(name: String, header: TraceHeader?, events: [TraceEvent])] = []
        for path in traces {
            let read = TraceReader.read(contentsOf: path)
            if let error = read.error {
                printError(error.description)
                throw ExitCode(2)
            }
            let base = path.split(separator: "/").last.map { $0.split(separator: ".").first.map(String.init) ?? String($0) } ?? path
            runs.append((runs.contains { $0.name == base } ? "\(base)-\(runs.count + 1)" : base, read.header, read.events))
        }
        if runs.count > 1, format == .html {
            return try write(HTMLHandout.render(runs: runs), to: output)
        }
        // Several traces as one: stacked on one time axis.
        let (header, events): (TraceHeader?, [TraceEvent]) = runs.count > 1
            ? StackedRuns.merge(runs.map { StackedRuns.Run(name: $0.name, header: $0.header, events: $0.events) })
            : (runs[0].header, runs[0].events)
        guard let header else { throw ExitCode(2) }
        let read = (header: header, events: events)
        switch format {
        case .chrome: try write(ChromeTraceExporter.export(header: header, events: read.events), to: output)
        case .svg: try write(SVGTimeline.render(RunModel(header: header, events: read.events)), to: output)
        case .html: try write(HTMLHandout.render(RunModel(header: header, events: read.events)), to: output)
        }
    }
}
