import ArgumentParser
import Foundation
import FuturesTraceSchema

/// A deterministic run's scheduling choices as a file of their own
/// (docs/trace-format.md, "Schedules"): which scenario, its seed and
/// strategy, and at each scheduling point how many threads were runnable and
/// which one ran. `run --schedule` follows one.
struct ScheduleFile: Equatable {
    static let format = "futureslab-schedule"
    var program: String
    var seed: UInt64?
    var strategy: String?
    var picks: [Int]
    var runnable: [Int]
    /// The first choices only (written mid-run by the manual scheduler):
    /// after them, the seeded strategy goes on.
    var prefix = false

    var json: String {
        var parts = ["\"format\":\"\(Self.format)\"", "\"version\":1", "\"program\":\(TraceWriter.quoted(program))"]
        if let seed { parts.append("\"seed\":\(seed)") }
        if let strategy { parts.append("\"strategy\":\(TraceWriter.quoted(strategy))") }
        parts.append("\"picks\":[" + picks.map(String.init).joined(separator: ",") + "]")
        parts.append("\"runnable\":[" + runnable.map(String.init).joined(separator: ",") + "]")
        if prefix { parts.append("\"prefix\":true") }
        return "{" + parts.joined(separator: ",") + "}\n"
    }

    /// Reads a schedule file, or says what is wrong with it.
    static func read(_ path: String) throws(ValidationError) -> ScheduleFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): cannot read the schedule file") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidationError("\(path): not a schedule file (expected one JSON object)")
        }
        guard object["format"] as? String == format else { throw ValidationError("\(path): not a \(format) file") }
        guard (object["version"] as? NSNumber)?.intValue == 1 else { throw ValidationError("\(path): unsupported schedule version") }
        guard let program = object["program"] as? String, let picks = object["picks"] as? [NSNumber], let runnable = object["runnable"] as? [NSNumber],
              picks.count == runnable.count else {
            throw ValidationError("\(path): a schedule needs 'program', and 'picks' and 'runnable' of one length")
        }
        let file = ScheduleFile(program: program, seed: (object["seed"] as? NSNumber)?.uint64Value, strategy: object["strategy"] as? String,
                                picks: picks.map(\.intValue), runnable: runnable.map(\.intValue),
                                prefix: (object["prefix"] as? Bool) ?? false)
        guard zip(file.picks, file.runnable).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
            throw ValidationError("\(path): every pick must be below its runnable count")
        }
        return file
    }
}

/// `futureslab schedule TRACE -o S.json`.
struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract a deterministic run's scheduling choices from its trace (for run --schedule).")

    @Argument(help: "A trace of a deterministic run, written by `run --trace`.")
    var trace: String

    @Option(name: .shortAndLong, help: "The schedule file to write (- for standard output).")
    var output: String

    func validate() throws {
        try refuseOverwriting(output, inputs: [trace], flag: "-o")
    }

    func run() throws {
        let read = TraceReader.read(contentsOf: trace)
        if let error = read.error {
            printError(error.description)
            throw ExitCode(2)
        }
        guard let header = read.header, header.runtime == .deterministic else {
            throw ValidationError("\(trace): only a deterministic run has a schedule")
        }
        guard let found = read.events.last(where: { $0.kind == .schedule }), case .schedule(let picks, let runnable) = found.payload else {
            throw ValidationError("\(trace): the trace records no schedule (it was written before schedules were recorded)")
        }
        let file = ScheduleFile(program: header.program, seed: header.seed, strategy: header.strategy?.rawValue, picks: picks, runnable: runnable)
        try write(file.json, to: output)
    }
}
