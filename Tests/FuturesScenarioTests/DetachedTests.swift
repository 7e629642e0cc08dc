import Foundation
import FuturesTraceSchema
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Detached runs (Cookbook 12.14): `run --detach`, `attach`, `stop`, and a
/// signal ending a run whose trace is written as it goes.
@Suite("Detached runs, attach and stop", .serialized)
struct DetachedTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-detached-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Whether `pid` is a process that has not ended (a zombie has).
    static func alive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Waits until `condition` holds (at most `seconds`).
    static func eventually(_ seconds: Double = 15, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    @Test("run --detach returns at once with the daemon's pid; attach --headless prints the report after stop; the trace ends with 'aborted'; the pidfile is gone; no process of the run is left")
    func detachAttachStop() throws {
        let directory = try Self.directory()
        let trace = directory + "/daemon.jsonl", pidfile = directory + "/daemon.pid", log = directory + "/daemon.log"
        let started = Date()
        let detached = try CommandLineTests.futureslab(["run", "scenarios/daemon.yaml", "--set", "seconds=60", "--detach",
                                                         "--trace", trace, "--pidfile", pidfile, "--log", log])
        let took = Date().timeIntervalSince(started)
        #expect(detached.status == 0, "\(detached.stderr)")
        #expect(took < 5, "run --detach took \(took) s to return")
        let pid = try #require(pid_t(detached.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "no pid printed: \(detached.stdout)")
        #expect(Self.alive(pid))
        #expect(Self.eventually { (try? String(contentsOfFile: pidfile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) == String(pid) })
        // The trace grows while the run goes: the header and a few beats.
        #expect(Self.eventually { TraceReader.read(contentsOf: trace).events.filter { $0.kind == .log }.count >= 2 },
                "the detached run's trace did not grow")

        let attach = Process()
        attach.executableURL = URL(fileURLWithPath: Paths.executable)
        attach.arguments = ["attach", trace, "--headless", "--no-color"]
        let output = Pipe()
        attach.standardOutput = output
        attach.standardError = FileHandle.nullDevice
        try attach.run()

        let stop = try CommandLineTests.futureslab(["stop", pidfile])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.stdout.contains("stopped process \(pid) (SIGTERM)"))
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        attach.waitUntilExit()
        #expect(attach.terminationStatus == 0)
        #expect(report.contains("Daemon Alive! at t=0.0 s"))
        #expect(report.contains("stopped by SIGTERM at"), "\(report)")

        let read = TraceReader.read(contentsOf: trace)
        #expect(read.error == nil)
        guard case .aborted(let signal)? = read.events.last?.payload else {
            Issue.record("the trace does not end with 'aborted': \(String(describing: read.events.last))")
            return
        }
        #expect(signal == "SIGTERM")
        #expect(!FileManager.default.fileExists(atPath: pidfile), "the pidfile is left")
        #expect(Self.eventually(5) { !Self.alive(pid) }, "process \(pid) is still there")
    }

    @Test("a detached run that ends by itself ends its trace with 'ended' and removes its pidfile")
    func detachedRunEnds() throws {
        let directory = try Self.directory()
        let trace = directory + "/short.jsonl", pidfile = directory + "/short.pid"
        let detached = try CommandLineTests.futureslab(["run", "scenarios/daemon.yaml", "--set", "seconds=1", "--detach",
                                                         "--trace", trace, "--pidfile", pidfile])
        #expect(detached.status == 0)
        #expect(Self.eventually { TraceReader.read(contentsOf: trace).events.contains { $0.kind == .ended } }, "no 'ended' line")
        #expect(Self.eventually(5) { !FileManager.default.fileExists(atPath: pidfile) }, "the pidfile is left")
        let attach = try CommandLineTests.futureslab(["attach", trace, "--headless", "--no-color"])
        #expect(attach.status == 0)
        #expect(attach.stdout.contains("the daemon ends after 1 beats") && attach.stdout.contains("ended at"))
    }

    @Test("--detach without --trace, a pidfile in a missing directory, a pidfile of a running process: exit 2 naming it, nothing started")
    func detachRefusals() throws {
        let directory = try Self.directory()
        let trace = directory + "/never.jsonl"
        let noTrace = try CommandLineTests.futureslab(["run", "scenarios/daemon.yaml", "--detach"])
        #expect(noTrace.status == 2)
        #expect(noTrace.stderr.contains("--detach needs --trace"))
        let missing = try CommandLineTests.futureslab(["run", "scenarios/daemon.yaml", "--detach", "--trace", trace,
                                                        "--pidfile", directory + "/no/such/dir/x.pid"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("does not exist"))
        let pidfile = directory + "/live.pid"
        try "\(getpid())\n".write(toFile: pidfile, atomically: true, encoding: .utf8)
        let live = try CommandLineTests.futureslab(["run", "scenarios/daemon.yaml", "--detach", "--trace", trace, "--pidfile", pidfile])
        #expect(live.status == 2)
        #expect(live.stderr.contains("names process \(getpid()), which is running"))
        #expect(!FileManager.default.fileExists(atPath: trace), "a refused run wrote a trace")
        let alone = try CommandLineTests.futureslab(["run", "scenarios/daemon.yaml", "--pidfile", pidfile])
        #expect(alone.status == 2)
    }

    @Test("attach to a file that is not a trace, to no file, or to a trace that stops growing without ending: a clear message after a bounded wait")
    func attachRefusals() throws {
        let directory = try Self.directory()
        let notATrace = directory + "/notes.txt"
        try "{\"hello\": 1}\n".write(toFile: notATrace, atomically: true, encoding: .utf8)
        let bad = try CommandLineTests.futureslab(["attach", notATrace, "--headless", "--wait", "1"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("notes.txt:1:"))
        let none = try CommandLineTests.futureslab(["attach", directory + "/nothing.jsonl", "--headless", "--wait", "1"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no trace appeared within 1 s (no such file)"))
        // A trace cut short: a header and one event, and nothing more ever comes.
        let full = try CommandLineTests.futureslab(["run", "scenarios/loiter_map.yaml", "--trace", directory + "/whole.jsonl", "--headless"])
        #expect(full.status == 0)
        let lines = try String(contentsOfFile: directory + "/whole.jsonl", encoding: .utf8).split(separator: "\n")
        let cut = directory + "/cut.jsonl"
        try (lines.prefix(3).joined(separator: "\n") + "\n").write(toFile: cut, atomically: true, encoding: .utf8)
        let stalled = try CommandLineTests.futureslab(["attach", cut, "--headless", "--wait", "1", "--no-color"])
        #expect(stalled.status == 1)
        #expect(stalled.stderr.contains("has not grown for 1 s and does not say its run ended"))
        #expect(stalled.stdout.contains("Timeline"), "the report of what the trace holds is printed")
    }

    @Test("stop of a stale pidfile says the process is gone and removes the file; of no pidfile, exit 2")
    func stopStale() throws {
        let directory = try Self.directory()
        let pidfile = directory + "/stale.pid"
        // A pid that is surely free: a child that has ended and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        try "\(child.processIdentifier)\n".write(toFile: pidfile, atomically: true, encoding: .utf8)
        let stale = try CommandLineTests.futureslab(["stop", pidfile])
        #expect(stale.status == 0)
        #expect(stale.stdout.contains("is gone (a stale pidfile)"))
        #expect(!FileManager.default.fileExists(atPath: pidfile))
        let none = try CommandLineTests.futureslab(["stop", pidfile])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no such pidfile"))
    }

    @Test("SIGTERM, SIGINT or SIGHUP to a native run writing its trace: every event so far and an 'aborted' line naming the signal; exit 128+n", arguments: [SIGTERM, SIGINT, SIGHUP])
    func signalAbortsTrace(signal: Int32) throws {
        let directory = try Self.directory()
        let trace = directory + "/signalled.jsonl"
        let run = Process()
        run.executableURL = URL(fileURLWithPath: Paths.executable)
        run.arguments = ["run", "scenarios/daemon.yaml", "--set", "seconds=60", "--trace", trace, "--headless"]
        run.currentDirectoryURL = URL(fileURLWithPath: Paths.root)
        run.standardOutput = FileHandle.nullDevice
        run.standardError = FileHandle.nullDevice
        try run.run()
        #expect(Self.eventually { TraceReader.read(contentsOf: trace).events.contains { $0.kind == .log } }, "the trace did not grow")
        kill(run.processIdentifier, signal)
        run.waitUntilExit()
        #expect(run.terminationStatus == 128 + signal)
        let read = TraceReader.read(contentsOf: trace)
        #expect(read.error == nil)
        let names = [SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGHUP: "SIGHUP"]
        #expect(read.events.last?.payload == .aborted(signal: names[signal]!))
        #expect(read.events.contains { if case .log(_, let message) = $0.payload { message.hasPrefix("Daemon Alive!") } else { false } })
    }
}
