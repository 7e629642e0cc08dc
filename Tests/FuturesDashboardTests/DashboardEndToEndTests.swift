import Foundation
import FuturesTraceSchema
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The dashboard as a person sees it: `futureslab run` in a tmux pane,
/// driven with keys and signals, its screen captured. Each test ends by
/// checking that the terminal is sane again (`stty -a`: canonical mode and
/// echo back on).
@Suite("Dashboard end to end (tmux)", .serialized)
struct DashboardEndToEndTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The built `futureslab`, next to the test bundle.
    static var executable: String {
        let bundle = Bundle.main.bundleURL
        for directory in [bundle.path, bundle.deletingLastPathComponent().path] {
            let path = directory + "/futureslab"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root + "/.build/debug/futureslab"
    }

    static func command(_ arguments: String) -> String {
        "cd \(root) && \(executable) \(arguments)"
    }

    /// Presses q and expects the dashboard to end with status 0 and a sane
    /// terminal; the screen after.
    @discardableResult
    static func expectQuitRestoresTerminal(_ tmux: Tmux, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try tmux.send("q")
        let after = try #require(try tmux.waitFor("stty-done", seconds: 10), "the dashboard did not end after q", sourceLocation: sourceLocation)
        #expect(after.contains("exit=0"), sourceLocation: sourceLocation)
        expectSaneTerminal(after, sourceLocation: sourceLocation)
        return after
    }

    /// The lines `stty -a` printed after the command ended: canonical input and echo on.
    static func expectSaneTerminal(_ screen: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let words = screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" })
        #expect(words.contains("icanon") && !words.contains("-icanon"), "canonical mode is not back", sourceLocation: sourceLocation)
        #expect(words.contains("echo") && !words.contains("-echo"), "echo is not back", sourceLocation: sourceLocation)
    }

    @Test("loiter_map plays to the end: lanes, labels and states on screen; pause, step and scrub with keys; q restores the terminal")
    func playPauseStepQuit() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/loiter_map.yaml --no-questions"))
        let finished = try #require(try tmux.waitFor("FINISHED"), "the run did not finish on screen")
        for text in ["ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1", "ThreadPoolExecutor-0_2", "MainThread",
                     "loiter(3)", "loiter(4)", "✔ finished", "result 4: 40", "virtual t=5.000s"] {
            #expect(finished.contains(text), "missing \(text)")
        }
        #expect(finished.components(separatedBy: "✔ finished").count - 1 == 5)

        // Rerun, pause at once, then one event at a time.
        try tmux.send("r")
        try tmux.send("Space")
        let paused = try #require(try tmux.waitFor("PAUSED", seconds: 5))
        #expect(paused.contains("rerun with the same seed") || paused.contains("PAUSED"))
        let before = try tmux.screen()
        try tmux.send("s")
        try tmux.send("s")
        try tmux.send("s")
        usleep(400_000)
        let stepped = try tmux.screen()
        #expect(stepped.contains("PAUSED"))
        #expect(stepped != before, "stepping changed nothing")
        try tmux.send("Right")
        _ = try #require(try tmux.waitFor("cursor t=", seconds: 5), "← / → did not move the cursor while paused")

        let after = try Self.expectQuitRestoresTerminal(tmux)
        #expect(after.contains("loiter_map:"), "the summary line after quitting")
    }

    @Test("flags_http live: during the pool phase the twenty workers' lanes fill with download_one calls running at once; the run finishes with every flag")
    func flagsLive() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/flags_http.yaml"))
        _ = try #require(try tmux.waitFor("RUNNING", seconds: 30), "the dashboard did not start")
        var mostRunning = 0
        var mostLanes = 0
        var finished: String?
        let deadline = Date().addingTimeInterval(90)
        while finished == nil, Date() < deadline {
            let screen = try tmux.screen()
            let lines = screen.split(separator: "\n")
            mostRunning = max(mostRunning, lines.filter { $0.contains("▶ running") && $0.contains("download_one") }.count)
            mostLanes = max(mostLanes, lines.filter { $0.contains("ThreadPoolExecutor-0_") && $0.contains("download_o") }.count)
            if screen.contains("FINISHED") { finished = screen }
            usleep(40_000)
        }
        let end = try #require(finished, "the run did not finish on screen")
        #expect(mostRunning >= 5, "at most \(mostRunning) downloads were seen running at once")
        #expect(mostLanes >= 10, "at most \(mostLanes) pool lanes showed a download")
        #expect(end.contains("flags downloaded in"), "the counts in the log")
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("flags_errors headless on a terminal: a progress bar of futures done while it runs, erased before the report")
    func progressBar() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/flags_errors.yaml --headless --no-color"))
        let running = try #require(try tmux.waitFor("futures done", seconds: 30), "no progress bar on the terminal")
        #expect(running.contains("█") || running.contains("░"))
        let after = try #require(try tmux.waitFor("stty-done", seconds: 60))
        #expect(after.contains("exit=0"))
        #expect(after.contains("expectations hold"))
    }

    @Test("SIGINT (ctrl-c) and SIGTERM end the dashboard with 130 and 143 and restore the terminal", arguments: ["INT", "TERM"])
    func signals(signal: String) throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/io_bound_pool.yaml"))
        _ = try #require(try tmux.waitFor("RUNNING"), "the dashboard did not start")
        if signal == "INT" {
            try tmux.send("C-c")
        } else {
            let pid = try #require(try tmux.commandPid())
            kill(pid, SIGTERM)
        }
        let after = try #require(try tmux.waitFor("stty-done", seconds: 10), "the dashboard did not end on SIG\(signal)")
        #expect(after.contains(signal == "INT" ? "exit=130" : "exit=143"))
        Self.expectSaneTerminal(after)
    }

    @Test("a resize re-lays out at once: 120×40 → 80×24 → too small → 120×40")
    func resize() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/deadlock_mutual_wait.yaml --no-questions"))
        let big = try #require(try tmux.waitFor("DEADLOCK at t=1.000s"))
        #expect(big.contains("ThreadPoolExecutor-0_0"))
        try tmux.resize(width: 80, height: 24)
        usleep(600_000)
        let small = try tmux.screen()
        let lines = small.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(small.contains("DEADLOCK"))
        #expect(small.contains("…adPoolExecutor-0_1"), "lane names cut at the front at 80 columns")
        try tmux.resize(width: 50, height: 12)
        _ = try #require(try tmux.waitFor("needs at least 60×16", seconds: 5))
        try tmux.resize(width: 120, height: 40)
        let again = try #require(try tmux.waitFor("ThreadPoolExecutor-0_0", seconds: 5))
        #expect(again.contains("DEADLOCK"))
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("replay opens the same dashboard on a recorded trace")
    func replay() throws {
        let tmux = try Tmux()
        let trace = tmux.directory + "/run.jsonl"
        try tmux.start(Self.command("run scenarios/as_completed.yaml --headless --trace \(trace) > /dev/null && \(Self.executable) replay \(trace) --no-questions"))
        let finished = try #require(try tmux.waitFor("FINISHED"))
        #expect(finished.contains("download(BR)"))
        #expect(finished.contains("5 finished"))
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("--paused opens the dashboard paused at t=0 at the speed given; space plays")
    func startsPaused() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/loiter_map.yaml --paused --speed 4 --no-questions"))
        let paused = try #require(try tmux.waitFor("PAUSED", seconds: 10), "the dashboard did not open paused")
        #expect(paused.contains("virtual t=0.000s"), "not at t=0")
        #expect(paused.contains("speed 4×"))
        usleep(600_000)
        #expect(try tmux.screen().contains("virtual t=0.000s"), "time moved while paused")
        try tmux.send("Space")
        _ = try #require(try tmux.waitFor("FINISHED", seconds: 10), "space did not play the run to its end")
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("at 80×24 loiter_map ends with all five results and a footer ending '? help · q quit'; / searches, n goes on, a miss says so")
    func searchAt80x24() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/loiter_map.yaml --speed 16 --no-questions"), width: 80, height: 24)
        let end = try #require(try tmux.waitFor("FINISHED", seconds: 20), "the run did not finish")
        let rows = end.split(separator: "\n").map(String.init)
        for (label, result) in [("loiter(0)", "0"), ("loiter(1)", "10"), ("loiter(2)", "20"), ("loiter(3)", "30"), ("loiter(4)", "40")] {
            #expect(rows.contains { $0.contains(label + " ✔ finished") && $0.hasSuffix(" " + result) }, "\(label)'s result \(result) on screen")
        }
        #expect(rows.contains { $0.hasSuffix("? help · q quit") }, "the footer ends with ? help · q quit")
        try tmux.send("/")
        _ = try #require(try tmux.waitFor("search: ", seconds: 5), "/ did not open the search")
        for key in ["l", "o", "i", "t", "e", "r", "(", "3", ")"] { try tmux.send(key) }
        try tmux.send("Enter")
        _ = try #require(try tmux.waitFor("'loiter(3)': match 1 of", seconds: 5), "the search did not find loiter(3)")
        try tmux.send("n")
        _ = try #require(try tmux.waitFor("'loiter(3)': match 2 of", seconds: 5), "n did not go to the next match")
        try tmux.send("/")
        for key in ["z", "z", "q"] { try tmux.send(key) }
        try tmux.send("Enter")
        _ = try #require(try tmux.waitFor("no match for 'zzq'", seconds: 5), "a search without a match must say so")
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("dining_philosophers: tab to the objects pane, enter shows a chopstick's history; Home moves the cursor to t=0; the help pauses")
    func objectsPane() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/dining_philosophers.yaml --speed 4"))
        let end = try #require(try tmux.waitFor("virtual t=0.400s", seconds: 20), "the run did not end")
        #expect(end.contains("philosopher-0 holds c0 and waits for c1, held by philosopher-1"))
        #expect(end.contains("Objects (5)"))
        try tmux.send("Tab")
        try tmux.send("Tab")
        try tmux.send("Enter")
        let detail = try #require(try tmux.waitFor("lock c0", seconds: 5), "enter on the objects pane did not open c0's detail")
        #expect(detail.contains("philosopher-0 acquire"), "who took it, in time order")
        try tmux.send("Escape")
        try tmux.send("Home")
        _ = try #require(try tmux.waitFor("cursor t=0.000s", seconds: 5), "Home did not move the cursor to the start")
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("the help overlay pauses a playing run and closing it plays on")
    func helpPauses() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/loiter_map.yaml --speed 0.25 --no-questions"))
        _ = try #require(try tmux.waitFor("RUNNING", seconds: 10))
        try tmux.send("?")
        let help = try #require(try tmux.waitFor("PAUSED", seconds: 5), "the help did not pause the run")
        #expect(help.contains("taking turns for the GIL"), "the legend is in the help")
        try tmux.send("?")
        _ = try #require(try tmux.waitFor("RUNNING", seconds: 5), "closing the help did not play on")
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("loiter_map asks its question before it plays: a prediction with a number, space reveals the run's answer, space plays on")
    func question() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/loiter_map.yaml --speed 16"), width: 100, height: 30)
        let asked = try #require(try tmux.waitFor("Question", seconds: 10), "no question on screen")
        #expect(asked.contains("PAUSED") && asked.contains("virtual t=0.000s"))
        #expect(asked.contains("1. at 1 s") && asked.contains("3. at 5 s"))
        try tmux.send("3")
        try tmux.send("Space")
        // Wait for the last line drawn, not the first (a capture can catch a screen half drawn).
        let revealed = try #require(try tmux.waitFor("✔ the prediction (3) was right", seconds: 5), "space did not reveal the answer, or missed the prediction")
        #expect(revealed.contains("The run's answer: at 5 s"))
        try tmux.send("Space")
        _ = try #require(try tmux.waitFor("FINISHED", seconds: 10), "the run did not play on after the question")
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("map_vs_as_completed: its two variants stacked in one dashboard, each run's lanes under its name, played to the end together")
    func variantsStacked() throws {
        let tmux = try Tmux()
        try tmux.start(Self.command("run scenarios/map_vs_as_completed.yaml --speed 16"), width: 140, height: 45)
        let end = try #require(try tmux.waitFor("FINISHED", seconds: 20), "the stacked runs did not finish")
        #expect(end.contains("with_map · MainThread") && end.contains("with_as_completed · MainThread"))
        #expect(end.contains("with_map/executor · thread pool ×3") && end.contains("virtual t=4.000s"))
        try Self.expectQuitRestoresTerminal(tmux)
    }

    @Test("TERM=dumb on a terminal: the report is printed instead of the dashboard, said in one line on stderr; exit 0")
    func dumbTerminal() throws {
        let tmux = try Tmux()
        let stderr = FileManager.default.temporaryDirectory.appendingPathComponent("dumb-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: stderr) }
        try tmux.start("cd \(Self.root) && TERM=dumb \(Self.executable) run scenarios/loiter_map.yaml --width 40 2>\(stderr); echo exit=$?; sleep 30")
        let screen = try #require(try tmux.waitFor("exit=", seconds: 20), "the command did not end")
        #expect(screen.contains("exit=0"))
        #expect(screen.contains("5/5 expectations hold"), "the report was not printed")
        let said = try String(contentsOfFile: stderr, encoding: .utf8)
        #expect(said == "futureslab: this terminal (TERM=dumb) cannot draw the dashboard; printing the report instead\n")
    }

    @Test("--scheduler manual: picking threads by number reproduces lock_ordering's deadlock by hand (\"you found it in N steps\"); u goes back a choice; w writes a schedule that run --schedule replays to the same deadlock; q restores the terminal")
    func manualScheduler() throws {
        let tmux = try Tmux()
        try tmux.start("cd \(tmux.directory) && \(Self.executable) run \(Self.root)/scenarios/lock_ordering.yaml --scheduler manual --trace manual.jsonl",
                       width: 100, height: 30)
        let first = try #require(try tmux.waitFor("who runs next?"), "no choice was offered")
        #expect(first.contains("1  MainThread") && first.contains("thread-1"))
        var found: String?
        for _ in 0..<20 where found == nil {
            let before = try tmux.screen()
            try tmux.send("1")
            // Each pick moves the run to its next choice (or to its end).
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                let now = try tmux.screen()
                if now != before, now.contains("who runs next?") || now.contains("You were the scheduler") { break }
                usleep(50_000)
            }
            let screen = try tmux.screen()
            if screen.contains("you found it in") { found = screen }
        }
        let screen = try #require(found, "picking the first thread every time never reached the deadlock")
        #expect(screen.contains("DEADLOCK at t=0.100s"))
        #expect(screen.contains("thread-1 holds x and waits for y"))
        try tmux.send("u")
        _ = try #require(try tmux.waitFor("back one choice"))
        // The run is redone up to the last decision and offers it again (the deadlock not yet happened).
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let screen = try tmux.screen()
            if screen.contains("who runs next?") && !screen.contains("you found it") { break }
            usleep(50_000)
        }
        try tmux.send("1")
        _ = try #require(try tmux.waitFor("you found it in"), "the same pick after undo did not deadlock again")
        try tmux.send("w")
        let wrote = try #require(try tmux.waitFor("wrote lock_ordering-schedule.json"))
        #expect(wrote.contains("run --schedule"))
        try Self.expectQuitRestoresTerminal(tmux)
        let schedule = tmux.directory + "/lock_ordering-schedule.json"
        #expect(FileManager.default.fileExists(atPath: schedule))
        // --trace on a terminal: the run as far as it got, written when the dashboard ended.
        let trace = TraceReader.read(contentsOf: tmux.directory + "/manual.jsonl")
        #expect(trace.error == nil)
        #expect(trace.events.contains { $0.kind == .deadlock }, "the trace lacks the deadlock reached by hand")
        let replay = Process()
        replay.executableURL = URL(fileURLWithPath: Self.executable)
        replay.arguments = ["run", Self.root + "/scenarios/lock_ordering.yaml", "--schedule", schedule, "--headless", "--no-color"]
        let output = Pipe()
        replay.standardOutput = output
        try replay.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        replay.waitUntilExit()
        #expect(replay.terminationStatus == 0)
        #expect(text.contains("DEADLOCK at t=0.100s (cycle)") && text.contains("ordered 1: got both"))
    }

    @Test("--scheduler manual without a terminal is refused with a clear message and exit 2, nothing run")
    func manualSchedulerHeadless() throws {
        let run = Process()
        run.executableURL = URL(fileURLWithPath: Self.executable)
        run.arguments = ["run", Self.root + "/scenarios/lock_ordering.yaml", "--scheduler", "manual", "--headless"]
        let errors = Pipe()
        run.standardError = errors
        run.standardOutput = FileHandle.nullDevice
        try run.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        #expect(run.terminationStatus == 2)
        #expect(text == "futureslab run: --scheduler manual needs the dashboard (run it on a terminal, without --headless or --json); headless runs use the seeded scheduler\n")
    }

    @Test("two attach dashboards follow one detached run: both show it advancing, then STOPPED once `stop` ends it; q restores each terminal")
    func twoAttachers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-attach-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let trace = directory + "/daemon.jsonl", pidfile = directory + "/daemon.pid"
        let detach = Process()
        detach.executableURL = URL(fileURLWithPath: Self.executable)
        detach.arguments = ["run", Self.root + "/scenarios/daemon.yaml", "--set", "seconds=120", "--detach", "--trace", trace, "--pidfile", pidfile]
        detach.standardOutput = FileHandle.nullDevice
        try detach.run()
        detach.waitUntilExit()
        #expect(detach.terminationStatus == 0)
        defer {
            let stop = Process()
            stop.executableURL = URL(fileURLWithPath: Self.executable)
            stop.arguments = ["stop", pidfile]
            stop.standardOutput = FileHandle.nullDevice
            stop.standardError = FileHandle.nullDevice
            try? stop.run()
            stop.waitUntilExit()
        }
        let first = try Tmux(), second = try Tmux()
        try first.start(Self.command("attach \(trace)"), width: 100, height: 30)
        try second.start(Self.command("attach \(trace)"), width: 80, height: 24)
        // Both see the run go on: a beat each second, on each screen.
        for (name, tmux) in [("first", first), ("second", second)] {
            _ = try #require(try tmux.waitFor("Daemon Alive! at t=1", seconds: 20), "the \(name) attach shows no beat")
            _ = try #require(try tmux.waitFor("Daemon Alive! at t=3", seconds: 20), "the \(name) attach does not follow the run")
            #expect(try tmux.screen().contains("LIVE"))
        }
        let stop = Process()
        stop.executableURL = URL(fileURLWithPath: Self.executable)
        stop.arguments = ["stop", pidfile]
        stop.standardOutput = FileHandle.nullDevice
        try stop.run()
        stop.waitUntilExit()
        #expect(stop.terminationStatus == 0)
        for tmux in [first, second] {
            _ = try #require(try tmux.waitFor("STOPPED", seconds: 20), "an attach does not show the run stopped")
            try Self.expectQuitRestoresTerminal(tmux)
        }
    }

}
