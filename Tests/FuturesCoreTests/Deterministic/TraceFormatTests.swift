import Foundation
import FuturesTrace
import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// The trace file: recorded, written, read back and exported.
@Suite("Trace format")
struct TraceFormatTests {
    /// `map(loiter, 0..<5)` on 3 workers, traced; returns the file's text.
    static func loiterTrace(seed: UInt64, strategy: SchedulingStrategy = .random) throws -> String {
        let recorder = TraceRecorder(program: "loiter_map")
        let runtime = DeterministicRuntime(seed: seed, strategy: strategy, trace: recorder)
        try runtime.run {
            try ThreadPoolExecutor(maxWorkers: 3).scoped { pool in
                let futures = try (0..<5).map { n in
                    try pool.submit(label: "loiter(\(n))") { () -> Int in
                        currentRuntime.sleep(for: .seconds(n))
                        return n * 10
                    }
                }
                _ = try wait(futures)
            }
        }
        return recorder.jsonLines()
    }

    /// The racy program of the determinism test, traced.
    static func racyTrace(seed: UInt64) throws -> String {
        let recorder = TraceRecorder(program: "racy")
        let runtime = DeterministicRuntime(seed: seed, trace: recorder)
        try runtime.run {
            try ThreadPoolExecutor(maxWorkers: 2).scoped { pool in
                for name in ["a", "b"] {
                    _ = try pool.submit(label: name) {
                        for _ in 0..<3 { currentRuntime.sleep(for: .zero) }
                    }
                }
            }
        }
        return recorder.jsonLines()
    }

    @Test("same seed twice → byte-identical trace files; different seeds → different interleavings")
    func byteIdentical() throws {
        for seed in [0, 5, 12345] as [UInt64] {
            #expect(try Self.loiterTrace(seed: seed) == Self.loiterTrace(seed: seed), "seed \(seed)")
            #expect(try Self.racyTrace(seed: seed) == Self.racyTrace(seed: seed), "seed \(seed)")
        }
        #expect(try Self.loiterTrace(seed: 1, strategy: .roundRobin) == Self.loiterTrace(seed: 1, strategy: .roundRobin))
        let distinct = Set(try (0..<12).map { try Self.racyTrace(seed: UInt64($0)) })
        #expect(distinct.count > 1)
    }

    @Test("a written trace reads back: header first, every event with seq, t and kind, in order")
    func roundTrip() throws {
        let text = try Self.loiterTrace(seed: 9)
        let read = TraceReader.read(text, source: "loiter.jsonl")
        #expect(read.error == nil)
        let header = try #require(read.header)
        #expect(header.format == "futureslab-trace" && header.version == TraceHeader.currentVersion)
        #expect(header.program == "loiter_map" && header.runtime == .deterministic && header.clock == .virtual)
        #expect(header.seed == 9 && header.strategy == .random && header.cores == 2)
        #expect(read.events.map(\.seq) == Array(1...read.events.count))
        #expect(TraceWriter.file(header: header, events: read.events) == text)

        let starts = read.events.filter { $0.kind == .started }
        let labels = Dictionary(uniqueKeysWithValues: read.events.compactMap { event -> (UInt64, String)? in
            if case .submitted(let id, _, let label?) = event.payload { (id, label) } else { nil }
        })
        #expect(starts.map { labels[$0.future!]! }.sorted() == (0..<5).map { "loiter(\($0))" })
        let finishes = read.events.filter { $0.kind == .returned }
        #expect(finishes.map(\.t).sorted() == [0, 1, 2, 3, 5])
        #expect(Set(starts.compactMap { if case .started(_, let worker) = $0.payload { worker } else { nil } }) == ["ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1", "ThreadPoolExecutor-0_2"])
    }

    @Test("a native traced run reads back valid, on the wall clock")
    func nativeTrace() async throws {
        let recorder = TraceRecorder(program: "native")
        let runtime = NativeRuntime(trace: recorder)
        try await withDeadlockAlarm(seconds: 60, runtime: runtime) { () throws in
            try ThreadPoolExecutor(maxWorkers: 2).scoped { pool in
                _ = try pool.map({ $0 * 2 }, 0..<20).collect()
            }
        }
        let read = TraceReader.read(recorder.jsonLines(), source: "native.jsonl")
        #expect(read.error == nil)
        #expect(read.header?.clock == .wall)
        #expect(read.events.filter { $0.kind == .returned }.count == 20)
    }

    @Test("the reader names the line of a truncated file and still returns what came before")
    func truncated() throws {
        let text = try Self.loiterTrace(seed: 2)
        let lines = text.split(separator: "\n")
        let keep = 10
        let cut = lines.prefix(keep).joined(separator: "\n") + "\n" + lines[keep].prefix(lines[keep].count / 2)
        let read = TraceReader.read(cut, source: "cut.jsonl")
        #expect(read.error == TraceReadError(source: "cut.jsonl", line: keep + 1, message: "truncated: the last line is incomplete JSON"))
        #expect(read.events.count == keep - 1)
        #expect(read.error?.description.hasPrefix("cut.jsonl:11: ") == true)
    }

    @Test("the reader names the line of corrupt input: bad JSON, a missing or mistyped field, seq out of order, time backwards, a bad header", arguments: [
        (3, #"{"seq":2,"t":0.0,"kind":"started","future":1}"#, "a 'started' event needs 'worker'"),
        (3, #"{"seq":2,"t":"soon","kind":"started","future":1,"worker":"w"}"#, "'t' must be a number"),
        (3, #"{"seq":5,"t":0.0,"kind":"cancelled","future":1}"#, "'seq' is 5, expected 2"),
        (3, #"{"seq":2,"t":0.0,"kind":"teleported"}"#, "unknown kind 'teleported' (this reader knows the kinds of futureslab-trace version 2)"),
        (3, #"{"seq":2,"t":0.0,"kind":"cancelled","future":true}"#, "'future' must be an integer"),
        (3, "this is not json", "not a JSON object"),
    ] as [(Int, String, String)])
    func corrupt(line: Int, replacement: String, message: String) throws {
        var lines = try Self.loiterTrace(seed: 4).split(separator: "\n").map(String.init)
        lines[line - 1] = replacement
        let read = TraceReader.read(lines.joined(separator: "\n") + "\n", source: "bad.jsonl")
        #expect(read.error == TraceReadError(source: "bad.jsonl", line: line, message: message))
        #expect(read.events.count == line - 2)
    }

    @Test("the reader rejects a missing or foreign header, an unknown version, time going backwards and an empty file")
    func badHeaders() throws {
        let event = #"{"seq":1,"t":1.0,"kind":"cancelled","future":1}"#
        let header = #"{"format":"futureslab-trace","version":1,"program":"p","runtime":"native","clock":"wall"}"#
        func error(_ text: String) -> String? { TraceReader.read(text, source: "f").error?.description }
        #expect(error("") == "f:1: empty file: expected a futureslab-trace header")
        #expect(error(#"{"format":"other","version":1}"# + "\n") == "f:1: not a futureslab-trace file (format is 'other')")
        #expect(error(header.replacingOccurrences(of: "\"version\":1", with: "\"version\":9") + "\n")
            == "f:1: unsupported version 9 (this reader knows versions 1–2)")
        let backwards = header + "\n" + event + "\n" + #"{"seq":2,"t":0.5,"kind":"cancelled","future":2}"# + "\n"
        #expect(error(backwards) == "f:3: 't' goes backwards (0.5 after 1.0)")
        #expect(error(header + "\n" + event + "\n") == nil)
    }

    @Test("a deadlock is in the trace: kind, cycle and every blocked thread")
    func deadlockInTrace() throws {
        let recorder = TraceRecorder(program: "mutual")
        let runtime = DeterministicRuntime(seed: 1, trace: recorder)
        try runtime.run {
            try ThreadPoolExecutor(maxWorkers: 2).scoped { pool in
                let second = Future<Future<Int>>()
                let first = try pool.submit { () throws -> Int in try second.result().result() }
                try second.setResult(try pool.submit { () throws -> Int in try first.result() })
                _ = try? first.result()
            }
        }
        let read = TraceReader.read(recorder.jsonLines(), source: "d")
        #expect(read.error == nil)
        let deadlock = try #require(read.events.lazy.compactMap { if case .deadlock(let found) = $0.payload { found } else { nil } }.first)
        #expect(deadlock.kind == .cycle)
        #expect(deadlock.cycle.count == 3)
        #expect(deadlock.blocked.map(\.thread).sorted() == ["MainThread", "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1"])
        #expect(deadlock.message.hasPrefix("DEADLOCK at t=0.000s — cycle"))
    }
}

extension TraceFormatTests {
    @Test("a call that returns nothing returned None, as Python says it: in the trace and in the future's repr")
    func voidIsNone() throws {
        let text = try Self.racyTrace(seed: 1)
        #expect(text.contains(#""result":"None","type":"NoneType""#))
        #expect(!text.contains(#""result":"()""#))
        let future = Future<Void>()
        try future.setResult(())
        #expect(future.description.hasSuffix("state=finished returned NoneType>"))
    }

    @Test("a failing callback's log line names the future by id, so the trace stays byte-identical")
    func failingCallbackIsDeterministic() throws {
        func trace() throws -> String {
            let recorder = TraceRecorder(program: "callback")
            try DeterministicRuntime(seed: 4, trace: recorder).run {
                try ThreadPoolExecutor(maxWorkers: 1).scoped { pool in
                    let future = try pool.submit(label: "x") { 1 }
                    future.addDoneCallback { _ in throw OSError() }
                    _ = try future.result()
                }
            }
            return recorder.jsonLines()
        }
        let first = try trace()
        #expect(first == (try trace()))
        #expect(first.contains("exception calling callback for <Future #1 state=finished returned Int>: OSError: OSError()"))
        #expect(!first.contains("0x"))
    }
}
