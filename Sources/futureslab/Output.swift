import ArgumentParser
import CFuturesShim
import Foundation
import FuturesReport
import FuturesTerminal
#if canImport(Glibc)
import Glibc
#endif

/// Options every report-printing command shares.
struct ReportOptions: ParsableArguments {
    @Flag(help: "Print the JSON summary (docs/summary-format.md) instead of the report.")
    var json = false

    @Flag(name: .customLong("no-color"), help: "No ANSI colours (also when stdout is not a terminal).")
    var noColor = false

    @Flag(help: "ASCII glyphs instead of Unicode blocks.")
    var ascii = false

    @Option(help: "Columns of the timeline's time axis (10 to 1,000).")
    var width: Int = 60

    func validate() throws {
        guard (10...1_000).contains(width) else { throw ValidationError("--width must be from 10 to 1,000 columns (got \(width))") }
    }

    /// Colours unless `--no-color` or `NO_COLOR` (https://no-color.org).
    var wantsColor: Bool {
        !noColor && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    var style: ReportStyle {
        ReportStyle(unicode: !ascii, color: wantsColor && isatty(STDOUT_FILENO) != 0, timelineWidth: width)
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    writeStandardError(text.hasSuffix("\n") ? text : text + "\n")
}

/// Writes to file descriptor 2 as it is (no newline added).
func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}

/// Writes `text` to `path` (`-`: standard output), or fails with a message
/// naming the path — a full disk included (the file is flushed and closed
/// before this returns).
func write(_ text: String, to path: String) throws {
    if path == "-" {
        print(text, terminator: "")
        return
    }
    guard let file = fopen(path, "w") else {
        throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    let wrote = fputs(text, file) >= 0 && fflush(file) == 0
    let failure = errno
    let closed = fclose(file) == 0
    guard wrote, closed else {
        throw ValidationError("cannot write \(path): \(String(cString: strerror(wrote ? errno : failure)))")
    }
}

/// Refuses an output path that names one of the inputs (`--trace` naming
/// the scenario would overwrite it).
func refuseOverwriting(_ output: String?, inputs: [String], flag: String) throws {
    guard let output, output != "-" else { return }
    let target = URL(fileURLWithPath: output).resolvingSymlinksInPath().standardizedFileURL.path
    for input in inputs where URL(fileURLWithPath: input).resolvingSymlinksInPath().standardizedFileURL.path == target {
        throw ValidationError("\(flag) \(output) names an input file (\(input)): it would be overwritten")
    }
}

/// Standard output flushed at the end of the program: a write that failed (a
/// full disk, /dev/full, a closed pipe) is said on stderr, and the exit
/// status is not 0.
func finishStandardOutput() -> Bool {
    if fl_stdout_failed() != 0 {
        printError("futureslab: the output could not be written: \(String(cString: strerror(errno == 0 ? EIO : errno)))")
        return false
    }
    return true
}
extension ReportOptions {
    /// Whether to open the dashboard: not with `--headless` or `--json`, not
    /// unless stdin and stdout are a terminal, and not on a terminal that
    /// cannot address the cursor (`TERM=dumb`) — which is said in one line on
    /// stderr before the report is printed instead.
    func opensDashboard(headless: Bool) -> Bool {
        guard !headless, !json, isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else { return false }
        guard Terminal.canAddressCursor else {
            let term = ProcessInfo.processInfo.environment["TERM"].map { "TERM=\($0)" } ?? "no TERM"
            printError("futureslab: this terminal (\(term)) cannot draw the dashboard; printing the report instead")
            return false
        }
        return true
    }
}
