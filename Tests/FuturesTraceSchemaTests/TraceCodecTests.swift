import Foundation
import FuturesTraceSchema
import Testing

/// The JSON Lines codec over every kind of event: what the writer emits, the
/// reader takes back, identical; each line carries its kind's fields and no
/// others (`TraceEvent.Kind.fields`).
@Suite("Trace codec")
struct TraceCodecTests {
    static let header: TraceHeader = {
        var header = TraceHeader(program: "every_kind", runtime: .deterministic, seed: 7, strategy: .pct, cores: 2)
        header.title = "One event of every kind"
        return header
    }()

    /// One event of every kind (and a wait of every wait kind).
    static let events: [TraceEvent] = {
        let waits: [TraceEvent.Wait] = WaitKind.allCases.map { kind in
            switch kind {
            case .future: TraceEvent.Wait(kind: kind, waitsFor: "future 1", future: 1)
            case .futures: TraceEvent.Wait(kind: kind, waitsFor: "wait on futures 1,2", futures: [1, 2])
            case .work: TraceEvent.Wait(kind: kind, waitsFor: "work from pool", executor: "pool")
            case .lock, .event, .condition, .semaphore, .select:
                TraceEvent.Wait(kind: kind, waitsFor: "\(kind.rawValue) gate", object: "gate")
            default: TraceEvent.Wait(kind: kind, waitsFor: kind.rawValue)
            }
        }
        var payloads: [TraceEvent.Payload] = [
            .submitted(future: 1, executor: "pool", label: "loiter(1)"),
            .submitted(future: 2, executor: "pool", label: nil),
            .workerStarted(worker: "pool_0", executor: "pool"),
            .started(future: 1, worker: "pool_0"),
            .returned(future: 1, result: "10", type: "Int"),
            .raised(future: 2, exception: "ValueError('boom')", type: "ValueError"),
            .cancelled(future: 3),
            .cancelNotified(future: 3),
            .shutdown(executor: "pool", wait: true, cancelFutures: false),
            .broken(executor: "pool", reason: "A child process terminated abruptly"),
            .deadlock(.init(kind: .poolStarvation, message: "DEADLOCK at t=0.000s — pool starvation\n  MainThread waits for future 1",
                            cycle: ["MainThread", "pool_0", "MainThread"], blocked: [.init(thread: "MainThread", waitsFor: "future 1")])),
            .log(level: "info", message: "a \"quoted\" line\twith a tab"),
            .note("map submits all five calls at once."),
            .measurement(name: "speedup", value: 2.5),
            .expectation(text: "no deadlock", passed: false),
            .gilTaken(process: "MainProcess"),
            .gilDropped(process: "MainProcess"),
            .lockAcquired(name: "c1"),
            .lockReleased(name: "c1"),
            .workerExited(worker: "pool_0", executor: "pool"),
            .executor(.init(executor: "ThreadPoolExecutor-1", name: "gil_threads_2", kind: "thread", maxWorkers: 2, gil: true)),
            .object(.init(name: "q", kind: "queue", action: "created", value: 0, limit: 5)),
            .object(.init(name: "q", kind: "queue", action: "put", value: 1)),
            .object(.init(name: "e", kind: "event", action: "clear")),
            .question(.init(text: "When does loiter(4)'s result print?", choices: ["at 1 s", "at 5 s"], answer: "at 5 s",
                            explain: "map yields in input order", atStart: true)),
            .question(.init(text: "How much faster?", answer: "1.0×")),
            .schedule(picks: [1, 0, 2], runnable: [2, 1, 3]),
            .ended,
            .aborted(signal: "SIGTERM"),
        ]
        for wait in waits { payloads += [.waitBegan(wait), .waitEnded(wait, timedOut: wait.kind == .sleep)] }
        return payloads.enumerated().map { index, payload in
            TraceEvent(seq: index + 1, nanoseconds: UInt64(index) * 1_500_000, thread: "MainThread", payload)
        }
    }()

    @Test("the fixture holds every kind and every wait reason")
    func coversEverything() {
        #expect(Set(Self.events.map(\.kind)) == Set(TraceEvent.Kind.allCases))
        let waitKinds = Self.events.compactMap { if case .waitBegan(let wait) = $0.payload { wait.kind } else { nil } }
        #expect(Set(waitKinds) == Set(WaitKind.allCases))
    }

    @Test("a trace with every kind is written and read back identical, header and events")
    func roundTrip() {
        let text = TraceWriter.file(header: Self.header, events: Self.events)
        let read = TraceReader.read(text, source: "every.jsonl")
        #expect(read.error == nil)
        #expect(read.header == Self.header)
        #expect(read.events == Self.events)
        #expect(TraceWriter.file(header: read.header!, events: read.events) == text)
    }

    @Test("each line carries its kind's required fields, and only fields its kind declares")
    func linesMatchTheirKinds() throws {
        for event in Self.events {
            let line = TraceWriter.line(event)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let keys = Set(object.keys).subtracting(["seq", "t", "kind"])
            let declared = event.kind.fields
            #expect(keys.isSubset(of: Set(declared.map(\.key))), "\(line): \(keys.subtracting(declared.map(\.key)))")
            for field in declared where field.required {
                #expect(keys.contains(field.key), "\(event.kind.rawValue) lacks \(field.key)")
            }
        }
    }

    @Test("a required field missing from any kind is named", arguments: TraceEvent.Kind.allCases)
    func requiredFieldsAreRequired(kind: TraceEvent.Kind) throws {
        let event = try #require(Self.events.first { $0.kind == kind })
        let line = TraceWriter.line(event)
        for field in kind.fields where field.required {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            object[field.key] = nil
            let data = try JSONSerialization.data(withJSONObject: object)
            let header = TraceWriter.line(Self.header)
            let read = TraceReader.read(header + "\n" + String(decoding: data, as: UTF8.self) + "\n", source: "f")
            #expect(read.error?.message == "a '\(kind.rawValue)' event needs '\(field.key)'", "\(kind.rawValue) without \(field.key)")
        }
    }

    @Test("unknown words are named: a wait reason, a deadlock kind, a runtime, a clock, a strategy")
    func unknownWords() {
        let header = #"{"format":"futureslab-trace","version":1,"program":"p","runtime":"native","clock":"wall"}"#
        func error(_ text: String) -> String? { TraceReader.read(text + "\n", source: "f").error?.description }
        #expect(error(header + "\n" + #"{"seq":1,"t":0,"kind":"wait_began","thread":"T","waits_for":"x","reason":"nap"}"#)
            == "f:2: unknown wait reason 'nap'")
        #expect(error(header + "\n" + #"{"seq":1,"t":0,"kind":"deadlock","message":"m","reason":"loop","cycle":[],"blocked":[]}"#)
            == "f:2: unknown deadlock kind 'loop'")
        #expect(error(header.replacingOccurrences(of: "\"native\"", with: "\"quantum\"")) == "f:1: unknown runtime 'quantum' (native or deterministic)")
        #expect(error(header.replacingOccurrences(of: "\"wall\"", with: "\"sundial\"")) == "f:1: unknown clock 'sundial' (wall or virtual)")
        #expect(error(header.replacingOccurrences(of: "}", with: #","strategy":"fifo"}"#)) == "f:1: unknown strategy 'fifo'")
    }
}
