import Foundation
import Testing

/// The `futureslab` command as a user runs it: exit codes, what goes to
/// stdout and stderr, and the files it writes.
@Suite("futureslab command")
struct CommandLineTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func futureslab(_ arguments: String...) throws -> Outcome {
        try futureslab(arguments)
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("run: exit 0 and the whole report when every expectation holds")
    func runSucceeds() throws {
        let outcome = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--no-color")
        #expect(outcome.status == 0)
        for part in ["Log", "[+1.000s]     loiter(1): done.", "Timeline", "Futures", "Expectations", "expectations hold"] {
            #expect(outcome.stdout.contains(part), "missing \(part)")
        }
    }

    @Test("run: exit 2, file:line:col on stderr and nothing run for an invalid file")
    func runRejectsInvalid() throws {
        let path = try Self.temporaryFile("bad.yaml", "title: t\nmain:\n  - slep: 1\n  - log: \"{x}\"\n")
        let outcome = try Self.futureslab("run", path)
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("\(path):3:5: error: unknown operation 'slep' (did you mean 'sleep'?)"))
        #expect(outcome.stderr.contains("\(path):4:5: error: main: 'x' is not defined"))
    }

    @Test("--set workers=5: loiter(4) ends at t=4, the question's answer follows, the trace header records it; a refused value names the declaration")
    func knobs() throws {
        let trace = try Self.temporaryFile("five.jsonl", "")
        let five = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--set", "workers=5", "--json", "--trace", trace)
        #expect(five.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(five.stdout.utf8)) as? [String: Any])
        let futures = try #require(object["futures"] as? [[String: Any]])
        #expect(futures.first { $0["label"] as? String == "loiter(4)" }?["finished"] as? Double == 4.0)
        let questions = try #require(object["questions"] as? [[String: Any]])
        #expect(questions.first?["answer"] as? String == "at 4 s" && questions.first?["right_choice"] as? Int == 2)
        let header = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains(#""params":{"workers":5}"#))
        let three = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--json")
        let defaults = try #require(try JSONSerialization.jsonObject(with: Data(three.stdout.utf8)) as? [String: Any])
        #expect((defaults["questions"] as? [[String: Any]])?.first?["answer"] as? String == "at 5 s")
        for (setting, message) in [("workers=0", "parameter 'workers' must be at least 1, not 0"),
                                   ("workers=x", "parameter 'workers' must be a whole number, not 'x'"),
                                   ("wokers=4", "no parameter 'wokers' (it declares workers) — did you mean 'workers'?")] {
            let refused = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--set", setting)
            #expect(refused.status == 2)
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr.contains("scenarios/loiter_map.yaml:8:3: error: --set \(setting): \(message)"), "\(refused.stderr)")
        }
    }

    @Test("compare: loiter_map with 3 and with 5 workers — loiter(4) finishes at 4 instead of 5; --json; a truncated trace names its line")
    func compare() throws {
        let three = try Self.temporaryFile("three.jsonl", ""), five = try Self.temporaryFile("five.jsonl", "")
        _ = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--headless", "--trace", three)
        _ = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--set", "workers=5", "--headless", "--trace", five)
        let text = try Self.futureslab("compare", three, five, "--no-color")
        #expect(text.status == 0)
        let row = text.stdout.split(separator: "\n").first { $0.contains("loiter(4)") }.map(String.init) ?? ""
        #expect(row.split(separator: " ").map(String.init) == ["loiter(4)", "1.000", "5.000", "0.000", "4.000", "−1.000", "s"], "\(row)")
        #expect(text.stdout.contains("workers=3") && text.stdout.contains("workers=5"))
        #expect(text.stdout.contains("B − A: elapsed −1.000 s"))
        let json = try Self.futureslab("compare", three, five, "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let futures = try #require(object["futures"] as? [[String: Any]])
        let loiter4 = try #require(futures.first { $0["label"] as? String == "loiter(4)" })
        #expect(loiter4["a_finished"] as? Double == 5 && loiter4["b_finished"] as? Double == 4 && loiter4["finish_shift"] as? Double == -1)
        #expect(object["order_changed"] as? Bool == false)
        // A trace cut in the middle of a line.
        let whole = try String(contentsOfFile: five, encoding: .utf8)
        let cut = try Self.temporaryFile("cut.jsonl", String(whole.prefix(whole.count / 2)))
        let refused = try Self.futureslab("compare", three, cut)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("cut.jsonl:"), "\(refused.stderr)")
    }

    @Test("variants: map_vs_as_completed runs both ways, prints both reports and the comparison (first result at 4 s vs 1 s); a variant naming no parameter is refused at its place")
    func variants() throws {
        let both = try Self.futureslab("run", "scenarios/map_vs_as_completed.yaml", "--headless", "--no-color")
        #expect(both.status == 0)
        #expect(both.stdout.contains("━━ variant with_map (method=\"map\") ━━") && both.stdout.contains("━━ variant with_as_completed (method=\"as_completed\") ━━"))
        #expect(both.stdout.contains("━━ with_map (A) against with_as_completed (B) ━━"))
        let row = both.stdout.split(separator: "\n").first { $0.contains("first_result_s") && $0.contains("-3.0") }
        #expect(row != nil, "the comparison shows the first result 3 s earlier with as_completed")
        let json = try Self.futureslab("run", "scenarios/map_vs_as_completed.yaml", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["variants"] as? [[String: Any]])?.compactMap { $0["variant"] as? String } == ["with_map", "with_as_completed"])
        let path = try Self.temporaryFile("variants.yaml", """
            title: v
            params: {workers: {default: 2, min: 1}}
            variants:
              - {name: one, set: {wokers: 1}}
              - {name: zero, set: {workers: 0}}
            main: []

            """)
        let refused = try Self.futureslab("run", path)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(path):4:23: error: variants: no parameter 'wokers' to set (declare it under params:) — did you mean 'workers'?"), "\(refused.stderr)")
        #expect(refused.stderr.contains("\(path):5:33: error: variants: parameter 'workers' must be at least 1, not 0"), "\(refused.stderr)")
    }

    @Test("several files run side by side, and their traces export as one handout with the comparison")
    func severalFiles() throws {
        let trace = try Self.temporaryFile("runs.jsonl", "")
        let both = try Self.futureslab("run", "scenarios/loiter_map.yaml", "scenarios/as_completed.yaml", "--headless", "--no-color", "--trace", trace)
        #expect(both.status == 0)
        #expect(both.stdout.contains("━━ run loiter_map (workers=3) ━━") && both.stdout.contains("━━ run as_completed ━━"))
        #expect(both.stdout.contains("━━ loiter_map (A) against as_completed (B) ━━") && both.stdout.contains("B − A: elapsed −1.000 s"))
        let first = trace.replacingOccurrences(of: "runs.jsonl", with: "runs-loiter_map.jsonl")
        let second = trace.replacingOccurrences(of: "runs.jsonl", with: "runs-as_completed.jsonl")
        let html = trace.replacingOccurrences(of: "runs.jsonl", with: "both.html")
        #expect(try Self.futureslab("export", first, second, "--format", "html", "-o", html).status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("runs-loiter_map (A) against runs-as_completed (B)") && page.contains("Run: runs-as_completed"))
        #expect(page.contains("runs-loiter_map/ThreadPoolExecutor-0_2"), "the stacked timeline")
        let svg = trace.replacingOccurrences(of: "runs.jsonl", with: "both.svg")
        #expect(try Self.futureslab("export", first, second, "--format", "svg", "-o", svg).status == 0)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("runs-as_completed · MainThread"))
    }

    @Test("an ask whose answer fails: the run goes on and the question shows the error as its answer")
    func askFails() throws {
        let path = try Self.temporaryFile("ask.yaml", """
            title: ask
            main:
              - note: "a question whose answer divides by zero"
              - ask: {question: "What is 1 // 0?", answer: "= 1 // 0"}
              - log: "still running"
            expect:
              - deadlock: false

            """)
        let outcome = try Self.futureslab("run", path, "--json")
        #expect(outcome.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let answer = (object["questions"] as? [[String: Any]])?.first?["answer"] as? String ?? ""
        #expect(answer.hasPrefix("(the answer could not be computed: ZeroDivisionError"), "\(answer)")
        #expect((object["log"] as? [[String: Any]])?.contains { $0["message"] as? String == "still running" } == true)
    }

    @Test("schedules: extracted from a trace, followed byte for byte; followed under another seed, the same events; a changed program is named at the point it left; a wrong or corrupt file runs nothing")
    func schedules() throws {
        let trace = try Self.temporaryFile("seven.jsonl", "")
        let schedule = trace.replacingOccurrences(of: "seven.jsonl", with: "seven.json")
        #expect(try Self.futureslab("run", "scenarios/shared_counter.yaml", "--headless", "--trace", trace).status == 0)
        #expect(try Self.futureslab("schedule", trace, "-o", schedule).status == 0)
        let followed = trace.replacingOccurrences(of: "seven.jsonl", with: "followed.jsonl")
        #expect(try Self.futureslab("run", "scenarios/shared_counter.yaml", "--headless", "--schedule", schedule, "--trace", followed).status == 0)
        #expect(try String(contentsOfFile: followed, encoding: .utf8) == String(contentsOfFile: trace, encoding: .utf8), "byte-identical")
        let other = trace.replacingOccurrences(of: "seven.jsonl", with: "other.jsonl")
        #expect(try Self.futureslab("run", "scenarios/shared_counter.yaml", "--headless", "--seed", "99", "--schedule", schedule, "--trace", other).status == 0)
        let events = { (path: String) in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() }
        #expect(try events(other) == events(trace), "the schedule, not the seed, decides")
        let changed = try Self.futureslab("run", "scenarios/shared_counter.yaml", "--headless", "--set", "threads=3", "--schedule", schedule)
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("\(schedule): the program left the schedule at scheduling point"), "\(changed.stderr)")
        let wrong = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--schedule", schedule)
        #expect(wrong.status == 2 && wrong.stdout.isEmpty && wrong.stderr.contains("is a schedule of 'shared_counter', not of 'loiter_map'"))
        let corrupt = try Self.temporaryFile("bad.json", #"{"format":"futureslab-schedule","version":1,"program":"shared_counter","picks":[3],"runnable":[2]}"#)
        let refused = try Self.futureslab("run", "scenarios/shared_counter.yaml", "--schedule", corrupt)
        #expect(refused.status == 2 && refused.stdout.isEmpty && refused.stderr.contains("every pick must be below its runnable count"))
    }

    @Test("a command line it cannot take, or a missing file: exit 2 with the reason on stderr")
    func badCommandLine() throws {
        let option = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--runtime", "quantum")
        #expect(option.status == 2)
        #expect(option.stderr.contains("'quantum' is invalid for '--runtime <runtime>'"))
        let missing = try Self.futureslab("run", "no/such/file.yaml")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/file.yaml:1:1: error: no such file"))
    }

    @Test("run: exit 1 when an expectation fails, and the report says which and why")
    func runFailsExpectation() throws {
        let path = try Self.temporaryFile("wrong.yaml", """
            title: wrong
            executors: [{name: pool, max_workers: 1}]
            tasks:
              double: {params: [n], steps: [{return: n * 2}]}
            main:
              - submit: {executor: pool, task: double, args: [21], as: f}
              - result: {of: f, as: answer}
            expect:
              - value: {of: answer, equal: 41}
            """)
        let outcome = try Self.futureslab("run", path, "--ascii")
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("FAIL answer == 41 — got 42"))
    }

    @Test("run: exit 3 on a deadlock the scenario does not expect, with the cycle in the report")
    func runDeadlocks() throws {
        let path = try Self.temporaryFile("starve.yaml", """
            title: starve
            executors: [{name: pool, max_workers: 1}]
            tasks:
              inner: {steps: [{return: 1}]}
              outer:
                steps:
                  - submit: {executor: pool, task: inner, as: f}
                  - result: {of: f}
            main:
              - submit: {executor: pool, task: outer, as: g}
              - result: {of: g}
            """)
        let outcome = try Self.futureslab("run", path)
        #expect(outcome.status == 3)
        #expect(outcome.stdout.contains("DEADLOCK at t=0.000s (pool starvation)"))
    }

    @Test("check validates every file; list shows every shipped scenario with its title")
    func checkAndList() throws {
        let files = Paths.scenarioFiles().map { "scenarios/" + $0 }
        let check = try Self.futureslab(["check"] + files)
        #expect(check.status == 0)
        #expect(check.stdout.split(separator: "\n").count == files.count)
        let bad = try Self.temporaryFile("bad.yaml", "title: 3\nmain: 5\n")
        let failing = try Self.futureslab("check", bad)
        #expect(failing.status == 2)
        #expect(failing.stderr.contains("\(bad):2:7: error: main steps must be a list"))
        let list = try Self.futureslab("list")
        #expect(list.status == 0)
        #expect(list.stdout.contains("loiter_map.yaml"))
        #expect(list.stdout.contains("Executor.map returns results in input order"))
        #expect(list.stdout.split(separator: "\n").count == files.count)
    }

    @Test("--json prints the documented summary; --trace writes a trace that replay and export read")
    func jsonTraceReplayExport() throws {
        let trace = try Self.temporaryFile("run.jsonl", "")
        let json = try Self.futureslab("run", "scenarios/map_timeout.yaml", "--json", "--trace", trace)
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        for key in ["scenario", "runtime", "seed", "elapsed", "futures", "log", "deadlock", "executors", "lanes", "objects", "measurements", "expectations"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let futures = try #require(object["futures"] as? [[String: Any]])
        #expect(futures.count == 5)
        #expect(futures.contains { $0["label"] as? String == "loiter(5)" && $0["state"] as? String == "cancelled" })

        let live = try Self.futureslab("run", "scenarios/map_timeout.yaml", "--no-color")
        let replay = try Self.futureslab("replay", trace, "--no-color")
        #expect(replay.status == 0)
        #expect(replay.stdout == live.stdout)

        let chrome = trace + ".json", svg = trace + ".svg"
        #expect(try Self.futureslab("export", trace, "--format", "chrome", "-o", chrome).status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: chrome))) is [String: Any])
        #expect(try Self.futureslab("export", trace, "--format", "svg", "-o", svg).status == 0)
        let drawing = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(drawing.hasPrefix("<svg"))
        #expect(drawing.contains(">loiter(1)</text>"))
        #expect(drawing.contains("map with a timeout"))
    }

    @Test("a process-pool scenario natively: real worker processes (this binary) find the same hosts as the sequential scan")
    func nativeProcessPool() throws {
        let outcome = try Self.futureslab("run", "scenarios/findrobots.yaml", "--runtime", "native", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let expectations = try #require(object["expectations"] as? [[String: Any]])
        #expect(expectations.contains { ($0["text"] as? String)?.hasPrefix("pool_hosts == sequential_hosts") == true && $0["passed"] as? Bool == true })
        let futures = try #require(object["futures"] as? [[String: Any]])
        #expect(futures.count == 8)
        #expect(futures.allSatisfy { $0["state"] as? String == "finished" && ($0["worker"] as? String)?.hasPrefix("ProcessPoolExecutor-0_") == true })
    }

    @Test("flags_http from the command line: --json carries measurements.speedup_pool (≥ 5); forced into the deterministic runtime it is refused with exit 2 and nothing runs")
    func flagsFromTheCommandLine() throws {
        let outcome = try Self.futureslab("run", "scenarios/flags_http.yaml", "--json")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let measurements = try #require(object["measurements"] as? [String: Any])
        let speedup = try #require(measurements["speedup_pool"] as? Double)
        #expect(speedup >= 5)
        let refused = try Self.futureslab("run", "scenarios/flags_http.yaml", "--runtime", "deterministic")
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("flags_http.yaml:15:5: http_server 'server' is a real server on 127.0.0.1, so this scenario runs only in the native runtime"))
    }

    @Test("--downloads DIR: flags_errors saves every flag it got (58 of 100; the ERROR server fails the same codes every run) as valid GIFs there, and the report says where")
    func downloadsDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-flags-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try Self.futureslab("run", "scenarios/flags_errors.yaml", "--downloads", directory, "--no-color")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("downloads are saved in \(directory)"))
        #expect(outcome.stdout.contains("pool of 100: 58 ok, 20 not found, 22 errors"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".gif") }
        #expect(files.count == 58)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
            #expect(Array(bytes.prefix(6)) == Array("GIF89a".utf8) && bytes.last == 0x3B, "\(file) is not a GIF")
        }
    }

    @Test("replay of a truncated trace: the report of what came before, the bad line on stderr, exit 2")
    func replayTruncated() throws {
        let trace = try Self.temporaryFile("run.jsonl", "")
        _ = try Self.futureslab("run", "scenarios/loiter_map.yaml", "--trace", trace)
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        let cut = lines.prefix(12).joined(separator: "\n") + "\n" + lines[12].prefix(20)
        try cut.write(toFile: trace, atomically: true, encoding: .utf8)
        let outcome = try Self.futureslab("replay", trace)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("\(trace):13:"))
        #expect(outcome.stdout.contains("Script starting."))
    }
}

extension CommandLineTests {
    @Test("--speed outside the list, zero, negative or not a number: exit 2 with the valid speeds; nothing runs", arguments: [
        "0", "-1", "3", "abc",
    ])
    func badSpeed(speed: String) throws {
        for command in [["run", "scenarios/loiter_map.yaml"], ["replay", "missing.jsonl"]] {
            let outcome = try Self.futureslab(command + ["--speed", speed])
            #expect(outcome.status == 2, "\(command) --speed \(speed)")
            #expect(outcome.stderr.contains("0.25, 0.5, 1, 2, 4, 8, 16") && outcome.stdout.isEmpty, "\(outcome.stderr)")
        }
    }
}

extension CommandLineTests {
    /// Runs the built `futureslab` from the repository's root, with
    /// `environment` added to this process's.
    static func futureslab(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Paths.root)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
