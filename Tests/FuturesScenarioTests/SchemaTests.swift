import Foundation
@testable import FuturesRunner
@testable import FuturesScenario
import Testing

/// The generated references: `futureslab schema` and `futureslab operations`
/// are the checked-in files; the schema accepts every shipped scenario and
/// rejects mistakes at the faulty step or key, as an editor reports them
/// (checked with Python's jsonschema, draft 2020-12).
@Suite("Scenario schema and operation reference")
struct SchemaTests {
    static let schemaPath = Paths.root + "/schema/scenario.schema.json"

    @Test("futureslab schema prints schema/scenario.schema.json; futureslab operations prints docs/operations.md")
    func generatedFilesAreCurrent() throws {
        let schema = try CommandLineTests.futureslab(["schema"])
        #expect(schema.status == 0)
        #expect(schema.stdout == (try String(contentsOfFile: Self.schemaPath, encoding: .utf8)),
                "schema/scenario.schema.json is stale: run `swift run futureslab schema > schema/scenario.schema.json`")
        let reference = try CommandLineTests.futureslab(["operations"])
        #expect(reference.status == 0)
        #expect(reference.stdout == (try String(contentsOfFile: Paths.root + "/docs/operations.md", encoding: .utf8)),
                "docs/operations.md is stale: run `swift run futureslab operations > docs/operations.md`")
    }

    @Test("every registered operation has a runner, a summary, an example that reads back as itself, and documented fields")
    func everyOperationIsComplete() throws {
        #expect(Set(OperationRegistry.keys).count == OperationRegistry.all.count, "two operations share a key")
        for operation in OperationRegistry.all {
            #expect(operation is any RunnableOperation.Type, "\(operation.key) has no runner (FuturesRunner/Operations)")
            #expect(!operation.summary.isEmpty && operation.fields.allSatisfy { !$0.doc.isEmpty }, "\(operation.key) is undocumented")
            // The example is a valid step of its own operation (in a task, with
            // the names it reads defined as parameters, and every object kind at hand).
            let yaml = Self.scenario(around: operation.example)
            switch ScenarioParser.parse(yaml, file: "\(operation.key).yaml") {
            case .success(let scenario):
                let step = try #require(scenario.tasks["t"]?.steps.first)
                #expect(step.operation.key == operation.key)
            case .failure(let errors):
                Issue.record("the example of \(operation.key) does not read: \(errors)")
            }
        }
    }

    /// A scenario whose task `t` runs `example`, with every name it reads as
    /// a parameter and objects of every kind under the names examples use.
    static func scenario(around example: String) -> String {
        let objects: [(String, String)] = [
            ("gate", "semaphore"), ("lock", "lock"), ("x", "lock"), ("y", "lock"), ("started", "event"), ("c", "condition"),
            ("q", "queue"), ("q1", "pollable_queue"), ("q2", "pollable_queue"), ("sock", "socket"), ("l", "thread_local"),
            ("printer", "actor"), ("worker", "worker_actor"), ("spam", "exchange"), ("display", "actor"), ("a", "actor"),
            ("b", "actor"), ("sched", "actor_scheduler"),
        ]
        let tasks = ["loiter", "download", "add", "countdown", "countup", "download_many", "worker", "printer"]
        var lines = ["title: example", "runtime: {kind: native}", "executors: [{name: pool}]", "objects:"]
        lines += objects.map { "  - {name: \($0.0), kind: \($0.1)\($0.1 == "actor" ? ", task: idle" : "")}" }
        lines += ["  - {name: flags, kind: http_server}", "  - {name: echo, kind: echo_server}", "tasks:", "  idle: {steps: [{receive: {as: m}}]}"]
        for task in tasks {
            let params = ["loiter": "[n]", "download": "[n]", "add": "[a, b]", "countdown": "[n]", "countup": "[n]", "worker": "[n]"][task] ?? "[]"
            lines.append("  \(task): {params: \(params), steps: [{return: 0}]}")
        }
        let names = ["n", "f", "fs", "to_do", "items", "item", "x", "cc", "log", "total", "seq", "sequential", "pool_of_20",
                     "error", "m", "i", "name", "future", "message", "t", "running", "logs", "hosts"]
        lines += ["  t:", "    params: [\(names.joined(separator: ", "))]", "    steps:", "      " + example]
        lines += ["main: []"]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("the schema accepts every shipped scenario")
    func acceptsShippedScenarios() throws {
        let files = Paths.scenarioFiles().map { Paths.scenarios + "/" + $0 }
        let verdicts = try Self.validate(files)
        for (file, verdict) in zip(files, verdicts) { #expect(verdict == "OK", "\(file): \(verdict)") }
    }

    @Test("the schema rejects each mistake at the faulty step or key", arguments: [
        ("  - sumbit: {executor: pool, task: f, args: [1]}", "/main/0", "'sumbit' is not one of"),
        ("  - submit: {executor: pool, task: f, argz: [1]}", "/main/0/submit", "'argz' was unexpected"),
        ("  - shutdown: {executor: pool, wait: maybe}", "/main/0/shutdown/wait", "'maybe' does not match '^='"),
        ("  - wait: {futures: [], return_when: ANY}", "/main/0/wait/return_when", "'ANY' is not one of"),
        ("  - sleep: -1", "/main/0/sleep", "less than the minimum of 0"),
        ("  - result: {of: x, timeout: -2}", "/main/0/result/timeout", "less than the minimum of 0"),
        ("  - log: hi\nexpected: []", "/", "'expected' was unexpected"),
        ("  - log: hi\nobjects: [{name: g, kind: lock, mode: delay}]", "/objects/0/kind", "is not one of ['http_server']"),
        ("  - log: hi\nruntime: {kind: quantum}", "/runtime/kind", "'quantum' is not one of"),
    ] as [(String, String, String)])
    func rejects(step: String, path: String, message: String) throws {
        let text = "title: t\nexecutors: [{name: pool}]\ntasks:\n  f: {params: [n], steps: [{return: n}]}\nmain:\n\(step)\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let verdict = try #require(try Self.validate([file]).first)
        let parts = verdict.split(separator: "\t", maxSplits: 1).map(String.init)
        #expect(parts.count == 2 && parts[0] == path && parts[1].contains(message), "got: \(verdict)")
    }

    /// One verdict per file from validate.py: "OK" or "path<TAB>message".
    static func validate(_ files: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Paths.root + "/Tests/FuturesScenarioTests/SchemaCheck/validate.py", schemaPath] + files
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidatorFailed(message: "validate.py failed (needs Python's jsonschema and PyYAML; .ci/run installs them): "
                                  + String(decoding: stderr, as: UTF8.self))
        }
        return String(decoding: stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    struct ValidatorFailed: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
