import ArgumentParser
import Foundation
import FuturesModel
import FuturesReport
import FuturesTraceSchema
#if canImport(Glibc)
import Glibc
#endif

/// `futureslab attach TRACE`: the dashboard on a trace still being written
/// (a detached run's), following it live; several can attach at once.
struct Attach: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow a trace that is being written (a detached run's) in the dashboard, live; or print its report once the run ends.",
        discussion: """
            Reads only what is appended, as it is appended. The run is over when the trace says \
            so (`ended`, or `aborted` by a signal); the dashboard then shows it finished, and \
            --headless prints its report. A file that never becomes a trace, or a trace that \
            stops growing without ending, is reported after --wait seconds (exit 2 and 1).
            """)

    @Argument(help: "The trace file (from `run --detach --trace TRACE`).")
    var trace: String

    @Flag(help: "Wait for the run to end and print its report, instead of the dashboard.")
    var headless = false

    @Option(help: "Seconds to wait for the trace's header, and for a trace that stopped growing to go on.")
    var wait: Double = 30

    @OptionGroup var report: ReportOptions

    @OptionGroup var playback: PlaybackOptions

    func validate() throws {
        if !(wait > 0) { throw ValidationError("--wait must be a number of seconds above 0") }
    }

    func run() throws {
        let follower = TraceFollower(path: trace)
        try waitForHeader(follower)
        if report.opensDashboard(headless: headless) {
            let status = DashboardSession(source: .follow(follower), view: playback.view(color: report.wantsColor)).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        var lastGrowth = monotonicNanoseconds()
        while !follower.isComplete, follower.trace.error == nil {
            if follower.poll() { lastGrowth = monotonicNanoseconds() }
            if Double(monotonicNanoseconds() - lastGrowth) / 1e9 > wait {
                printTrace(follower)
                printError("futureslab attach: \(trace) has not grown for \(Int(wait)) s and does not say its run ended: the run may have been killed (the report above is of what it wrote)")
                throw ExitCode(1)
            }
            usleep(50_000)
        }
        printTrace(follower)
        if let error = follower.trace.error {
            printError(error.description)
            throw ExitCode(2)
        }
    }

    /// Until the first line (the header) has come, for at most `wait` seconds.
    private func waitForHeader(_ follower: TraceFollower) throws {
        let start = monotonicNanoseconds()
        while follower.trace.header == nil, follower.trace.error == nil {
            follower.poll()
            if follower.trace.header != nil || follower.trace.error != nil { break }
            if Double(monotonicNanoseconds() - start) / 1e9 > wait {
                printError("futureslab attach: \(trace): no trace appeared within \(Int(wait)) s"
                           + (FileManager.default.fileExists(atPath: trace) ? " (the file has no complete header line)" : " (no such file)")
                           + "; a detached run writes one: futureslab run SCENARIO --detach --trace \(trace)")
                throw ExitCode(2)
            }
            usleep(50_000)
        }
        if let error = follower.trace.error, follower.trace.header == nil {
            printError("futureslab attach: \(error.description)")
            throw ExitCode(2)
        }
    }

    private func printTrace(_ follower: TraceFollower) {
        let model = RunModel(header: follower.trace.header, events: follower.trace.events)
        print(report.json ? SummaryJSON.render(model) : HeadlessReport.render(model, style: report.style), terminator: "")
    }
}

/// `futureslab stop PIDFILE`: SIGTERM to a detached run, and a bounded wait for it to end.
struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop a detached run: SIGTERM to the pid its pidfile names, then wait (bounded) for it to end.",
        discussion: """
            The run ends its trace with an `aborted` line and removes its pidfile. A pidfile \
            whose process is gone is stale: it is removed and said so (exit 0). Exit 1 if the \
            process is still there after --timeout seconds, 2 if the pidfile cannot be read.
            """)

    @Argument(help: "The pidfile (from `run --detach --pidfile PIDFILE`).")
    var pidfile: String

    @Option(help: "Seconds to wait for the process to end.")
    var timeout: Double = 10

    func run() throws {
        guard FileManager.default.fileExists(atPath: pidfile) else {
            printError("futureslab stop: \(pidfile): no such pidfile")
            throw ExitCode(2)
        }
        guard let pid = Detached.pid(inPidfile: pidfile), pid > 0 else {
            printError("futureslab stop: \(pidfile) holds no pid")
            throw ExitCode(2)
        }
        guard Detached.isAlive(pid) else {
            unlink(pidfile)
            print("process \(pid) is gone (a stale pidfile): removed \(pidfile)")
            return
        }
        let start = monotonicNanoseconds()
        kill(pid, SIGTERM)
        while Detached.isAlive(pid) {
            if Double(monotonicNanoseconds() - start) / 1e9 > timeout {
                printError("futureslab stop: process \(pid) did not end within \(timeout) s of SIGTERM")
                throw ExitCode(1)
            }
            usleep(10_000)
        }
        // It removes its pidfile itself; a stale one is left only if it could not.
        if Detached.pid(inPidfile: pidfile) == pid { unlink(pidfile) }
        print(String(format: "stopped process %d (SIGTERM) in %.2f s", pid, Double(monotonicNanoseconds() - start) / 1e9))
    }
}
