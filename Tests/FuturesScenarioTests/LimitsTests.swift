import Foundation
import Testing

/// The reproducers of the hostile-input campaign (issue 18): each ends by
/// itself, quickly, with a documented status and a clear message — never a
/// signal, never "Fatal error".
@Suite("Hostile scenarios and limits")
struct LimitsTests {
    static func scenario(_ steps: String, tasks: String = "") throws -> String {
        try CommandLineTests.temporaryFile("hostile.yaml", "title: hostile\n\(tasks)main:\n  - note: \"x\"\n\(steps)\nexpect:\n  - deadlock: false\n")
    }

    @Test("each reproducer ends with its documented status and message", arguments: [
        ("  - sleep: 99999999999", 0, "ended at 9223372036.855 s"),
        ("  - set: {name: r, value: \"= range(99999999999)\"}", 1, "MemoryError"),
        ("  - for: {each: i, in: \"= range(2**63 - 1)\", do: [{set: {name: x, value: i}}]}", 4, "--max-steps"),
        ("  - set: {name: x, value: \"= 9223372036854775807 + 1\"}\n  - log: \"{x}\"", 0, "9223372036854775808"),
        ("  - set: {name: x, value: \"= (-2**63) // -1\"}\n  - log: \"{x}\"", 0, "9223372036854775808"),
        ("  - set: {name: x, value: \"= round(1.5, 2**63 - 1)\"}\n  - log: \"{x}\"", 0, "1.5"),
        ("  - set: {name: x, value: \"= round(1e20)\"}\n  - log: \"{x}\"", 0, "100000000000000000000"),
        ("  - set: {name: x, value: \"= 'ab' * 99999999999\"}", 1, "MemoryError"),
        ("  - write_logs: {files: 100000, lines: 1000000, as: l}", 1, "MemoryError"),
        ("  - sha256: {bytes: 99999999999999, as: d}", 1, "MemoryError"),
        ("  - sleep: \"= 0 * 1e400\"", 1, "ValueError"),
        ("  - while: {condition: True, do: [{log: \"again\"}]}", 4, "--max-log-lines"),
    ] as [(String, Int32, String)])
    func reproducer(steps: String, status: Int32, text: String) throws {
        let file = try Self.scenario(steps)
        let outcome = try CommandLineTests.futureslab(["run", file, "--headless", "--no-color", "--max-log-lines", "1000"])
        #expect(outcome.status == status, "\(steps): \(outcome.stderr)")
        #expect((outcome.stdout + outcome.stderr).contains(text), "\(steps): \(outcome.stdout.suffix(300)) \(outcome.stderr)")
        #expect(!outcome.stderr.contains("Fatal error"))
    }

    @Test("a task that calls itself raises RecursionError at 1,000 calls, in both runtimes", arguments: ["deterministic", "native"])
    func recursion(runtime: String) throws {
        let file = try Self.scenario("  - call: {task: again}", tasks: "tasks:\n  again:\n    steps:\n      - call: {task: again}\n")
        let outcome = try CommandLineTests.futureslab(["run", file, "--headless", "--runtime", runtime])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("RecursionError('maximum recursion depth exceeded')"))
    }

    @Test("--max-virtual stops a deterministic run; --max-wall a native one; exit 4 with the report so far")
    func timeLimits() throws {
        let loop = "  - while: {condition: True, do: [{sleep: 1}]}"
        let virtual = try CommandLineTests.futureslab(["run", try Self.scenario(loop), "--headless", "--max-virtual", "50"])
        #expect(virtual.status == 4)
        #expect(virtual.stderr.contains("50.0 s of virtual time (--max-virtual)"))
        let wall = try CommandLineTests.futureslab(["run", try Self.scenario("  - while: {condition: True, do: [{sleep: 0.05}]}"),
                                                    "--headless", "--runtime", "native", "--max-wall", "1"])
        #expect(wall.status == 4)
        #expect(wall.stderr.contains("(--max-wall)"))
        #expect(wall.stdout.contains("Timeline"))
    }

    @Test("CLI hygiene: --width out of range, --trace naming the scenario, -o naming the trace: exit 2, nothing overwritten; -o - writes to stdout; a full disk is an error")
    func cliHygiene() throws {
        let width = try CommandLineTests.futureslab(["run", "scenarios/loiter_map.yaml", "--headless", "--width", "9223372036854775807"])
        #expect(width.status == 2)
        #expect(width.stderr.contains("--width must be from 10 to 1,000"))
        let scenario = try CommandLineTests.temporaryFile("self.yaml", try String(contentsOfFile: Paths.scenarios + "/loiter_map.yaml", encoding: .utf8))
        let before = try String(contentsOfFile: scenario, encoding: .utf8)
        let overwrite = try CommandLineTests.futureslab(["run", scenario, "--headless", "--trace", scenario])
        #expect(overwrite.status == 2)
        #expect(overwrite.stderr.contains("names an input file"))
        #expect(try String(contentsOfFile: scenario, encoding: .utf8) == before)
        let trace = scenario + ".jsonl"
        #expect(try CommandLineTests.futureslab(["run", scenario, "--headless", "--trace", trace]).status == 0)
        #expect(try CommandLineTests.futureslab(["export", trace, "--format", "chrome", "-o", trace]).status == 2)
        let stdout = try CommandLineTests.futureslab(["export", trace, "--format", "svg", "-o", "-"])
        #expect(stdout.status == 0 && stdout.stdout.hasPrefix("<svg"))
        #expect(!FileManager.default.fileExists(atPath: Paths.root + "/-"))
        let full = Process()
        full.executableURL = URL(fileURLWithPath: Paths.executable)
        full.arguments = ["run", scenario, "--headless"]
        full.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let errors = Pipe()
        full.standardError = errors
        try full.run()
        full.waitUntilExit()
        #expect(full.terminationStatus != 0)
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("could not be written"))
    }

    @Test("corrupt traces name their line and keep the report of the lines before: t out of range, NaN, bad UTF-8, an unknown kind, a 2 MB line")
    func corruptTraces() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-corrupt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let whole = directory + "/whole.jsonl"
        #expect(try CommandLineTests.futureslab(["run", "scenarios/loiter_map.yaml", "--headless", "--trace", whole]).status == 0)
        let lines = try String(contentsOfFile: whole, encoding: .utf8).split(separator: "\n").map(String.init)
        let bad: [(String, Data, String)] = [
            ("t2e10", Data(lines[4].replacingOccurrences(of: #""t":"#, with: #""t":2e10,"x":"#).utf8), "beyond a run's clock"),
            ("t1e308", Data(lines[4].replacingOccurrences(of: #""t":"#, with: #""t":1e308,"x":"#).utf8), "beyond a run's clock"),
            ("negative", Data(lines[4].replacingOccurrences(of: #""t":"#, with: #""t":-1,"x":"#).utf8), "must not be negative"),
            ("kind", Data(lines[4].replacingOccurrences(of: #""kind":""#, with: #""kind":"zzz","was":""#).utf8), "unknown kind 'zzz' (this reader knows the kinds of futureslab-trace version"),
            ("utf8", Data(lines[4].utf8) + Data([0xFF, 0xFE]), "line 5"),
            ("huge", Data(#"{"seq":5,"t":1.0,"kind":"log","thread":""#.utf8) + Data(String(repeating: "x", count: 2_000_000).utf8) + Data(#"","level":"info","message":"m"}"#.utf8), "over the limit of 1048576"),
        ]
        for (name, line, message) in bad {
            var data = Data(lines.prefix(4).joined(separator: "\n").utf8) + Data("\n".utf8) + line + Data("\n".utf8)
            data += Data(lines.dropFirst(5).joined(separator: "\n").utf8)
            let path = directory + "/\(name).jsonl"
            try data.write(to: URL(fileURLWithPath: path))
            let replay = try CommandLineTests.futureslab(["replay", path, "--headless", "--no-color"])
            #expect(replay.status == 2, "\(name)")
            #expect(replay.stderr.contains(":5:") || replay.stderr.contains("line 5") || replay.stderr.contains(message), "\(name): \(replay.stderr)")
            #expect(replay.stderr.contains(message) || name == "utf8", "\(name): \(replay.stderr)")
            #expect(replay.stdout.contains("Timeline"), "\(name): no report of the lines before")
        }
    }
}
