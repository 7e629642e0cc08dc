import Foundation
import FuturesScenario
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A seeded mutational fuzzer as tests: every shipped scenario and recorded
/// trace, mutated (bytes flipped, lines deleted, duplicated, swapped or cut,
/// numbers made extreme, nesting made deep, control characters put in), is
/// given to the release of what a hostile user would run — `check`, a bounded
/// deterministic `run`, `replay` and `export` — which must end by itself
/// with a documented status (0 to 4) and never a signal or a "Fatal error".
///
/// The budget: `FUTURESLAB_FUZZ_CASES` cases of each kind (default 300, about
/// half a minute on 2 cores), from seed `FUTURESLAB_FUZZ_SEED` (default 1). A
/// failing case prints its seed and index and keeps its input under
/// /tmp/futureslab-fuzz-*/ to become a fixture of the malformed corpus.
@Suite("Fuzzing: hostile scenarios and traces")
struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let cases = environment["FUTURESLAB_FUZZ_CASES"].flatMap(Int.init) ?? 300
    static let seed = environment["FUTURESLAB_FUZZ_SEED"].flatMap(UInt64.init) ?? 1

    /// The scenarios' own seeded generator: the same cases for the same seed, on any machine.
    struct Random {
        let stream: RandomStream
        init(state: UInt64) { stream = RandomStream(seed: state, key: "fuzz") }
        mutating func next() -> UInt64 { stream.next() }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(stream.below(UInt64(n))) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let extremeNumbers = [
        "0", "-1", "99999999999", "9223372036854775807", "-9223372036854775808", "18446744073709551616",
        "1e308", "-1e308", "1e-320", "2**63", "2**64 - 1", "(-2**63) // -1", "10**400", "0.1", "1e20", "nan",
    ]

    /// One mutation of `text`.
    static func mutate(_ text: String, _ random: inout Random) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var bytes = Array(text.utf8)
        switch random.below(9) {
        case 0 where !bytes.isEmpty:
            for _ in 0...random.below(4) { bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next()) }
            return String(decoding: bytes, as: UTF8.self)
        case 1 where lines.count > 1:
            lines.remove(at: random.below(lines.count))
        case 2 where !lines.isEmpty:
            let index = random.below(lines.count)
            lines.insert(lines[index], at: index)
        case 3 where lines.count > 1:
            lines.swapAt(random.below(lines.count), random.below(lines.count))
        case 4:
            // A number made extreme.
            let numbers = text.ranges(of: /\b[0-9]+(\.[0-9]+)?\b/)
            guard !numbers.isEmpty else { break }
            var changed = text
            changed.replaceSubrange(random.pick(numbers), with: random.pick(extremeNumbers))
            return changed
        case 5:
            return String(text.prefix(random.below(text.count + 1)))
        case 6 where !lines.isEmpty:
            let depth = random.pick([50, 150, 2_000])
            let index = random.below(lines.count)
            lines[index] += random.below(2) == 0 ? " " + String(repeating: "[", count: depth) : String(repeating: "(", count: depth)
        case 7 where !bytes.isEmpty:
            let control: [UInt8] = [0, 1, 7, 8, 0x0B, 0x0C, 0x1B, 0x7F, 0xC3, 0xFF]
            bytes.insert(random.pick(control), at: random.below(bytes.count))
            return String(decoding: bytes, as: UTF8.self)
        default:
            if !lines.isEmpty {
                let index = random.below(lines.count)
                lines[index] = String(repeating: " ", count: random.below(8)) + random.pick(["- sleep: 99999999999", "- call: {task: x}",
                    "- for: {each: i, in: range(9223372036854775807), do: [{log: \"{i}\"}]}", "- set: {name: s, value: \"= 'ab' * 99999999999\"}",
                    "- write_logs: {files: 100000, lines: 1000000, as: l}", "expect: 7", "  - {name: x, kind: queue, maxsize: -5}"])
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Runs the binary (up to `seconds`); its status, or nil if it had to be killed.
    /// A case that has not ended in this long hangs (generous: a loaded CI
    /// machine or a sanitizer build runs several times slower).
    static let patience: Double = environment["FUTURESLAB_FUZZ_PATIENCE"].flatMap(Double.init) ?? 60

    static func run(_ arguments: [String], seconds: Double = patience) throws -> (status: Int32, signalled: Bool, stderr: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Paths.root)
        // Stderr to a file: a pipe nobody reads while waiting could fill and stall the child.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-stderr-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: errorFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorFile) }
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        defer { try? errors.close() }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            usleep(100_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return nil
        }
        let stderr = String(decoding: FileManager.default.contents(atPath: errorFile) ?? Data(), as: UTF8.self)
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, stderr)
    }

    /// Fails the test with everything needed to replay the case.
    static func judge(_ outcome: (status: Int32, signalled: Bool, stderr: String)?, allowed: ClosedRange<Int32>, _ what: String,
                      input: String, file: String) {
        guard let outcome else {
            Issue.record("\(what) hung (killed after \(Int(patience)) s); input kept at \(file)")
            return
        }
        let crashed = outcome.signalled || outcome.stderr.contains("Fatal error")
        #expect(!crashed && allowed.contains(outcome.status),
                "\(what) ended with status \(outcome.status)\(outcome.signalled ? " (a signal)" : ""); input kept at \(file): \(outcome.stderr.prefix(300))")
        if !crashed && allowed.contains(outcome.status) { try? FileManager.default.removeItem(atPath: file) }
    }

    static func workDirectory() throws -> String {
        let path = "/tmp/futureslab-fuzz-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("mutated scenarios: check and a bounded deterministic run end by themselves with status 0 to 4, never a crash or a hang")
    func scenarios() throws {
        let sources = try Paths.scenarioFiles().map { try String(contentsOfFile: Paths.scenarios + "/" + $0, encoding: .utf8) }
        let directory = try Self.workDirectory()
        var random = Random(state: Self.seed)
        for index in 0..<Self.cases {
            var text = random.pick(sources)
            for _ in 0...random.below(3) { text = Self.mutate(text, &random) }
            let file = directory + "/case-\(Self.seed)-\(index).yaml"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let checked = try Self.run(["check", file])
            Self.judge(checked, allowed: 0...2, "check of case \(index) (seed \(Self.seed))", input: text, file: file)
            guard checked?.status == 0 else { continue }
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            Self.judge(try Self.run(["run", file, "--headless", "--runtime", "deterministic", "--max-steps", "50000",
                                     "--max-log-lines", "5000", "--max-virtual", "100000"]),
                       allowed: 0...4, "run of case \(index) (seed \(Self.seed))", input: text, file: file)
        }
    }

    @Test("mutated traces: replay and export end by themselves with status 0 to 2, never a crash or a hang")
    func traces() throws {
        let folder = Paths.root + "/Tests/FuturesDashboardTests/Snapshots/traces"
        let sources = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jsonl") }.sorted()
            .map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
        let directory = try Self.workDirectory()
        var random = Random(state: Self.seed &+ 1)
        for index in 0..<Self.cases {
            var text = random.pick(sources)
            for _ in 0...random.below(3) { text = Self.mutate(text, &random) }
            if random.below(4) == 0, let t = text.firstRange(of: /"t":[0-9.]+/) {
                text.replaceSubrange(t, with: "\"t\":" + random.pick(["2e10", "1e308", "-1", "1e400", "NaN", "\"x\"", "18446744073.7"]))
            }
            let file = directory + "/trace-\(Self.seed)-\(index).jsonl"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let verb = random.pick([["replay", file, "--headless"], ["export", file, "--format", "chrome", "-o", file + ".json"],
                                    ["export", file, "--format", "svg", "-o", file + ".svg"]])
            Self.judge(try Self.run(verb), allowed: 0...2, "\(verb[0]) of trace case \(index) (seed \(Self.seed))", input: text, file: file)
            try? FileManager.default.removeItem(atPath: file + ".json")
            try? FileManager.default.removeItem(atPath: file + ".svg")
        }
    }

    /// Inputs the fuzzer once crashed the program with (Tests/FuturesScenarioTests/Fuzzed).
    static let found: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: Paths.root + "/Tests/FuturesScenarioTests/Fuzzed")) ?? [])
        .filter { $0.hasSuffix(".yaml") }.sorted()

    @Test("every crash the fuzzer found stays fixed", arguments: found)
    func foundCrashes(file: String) throws {
        let path = Paths.root + "/Tests/FuturesScenarioTests/Fuzzed/" + file
        for arguments in [["check", path], ["run", path, "--headless", "--runtime", "deterministic", "--max-steps", "50000"]] {
            let outcome = try #require(try Self.run(arguments, seconds: 120), "\(arguments[0]) of \(file) hung")
            #expect(!outcome.signalled && (0...4).contains(outcome.status) && !outcome.stderr.contains("Fatal error"),
                    "\(arguments[0]) of \(file): status \(outcome.status): \(outcome.stderr.prefix(300))")
        }
    }
}
