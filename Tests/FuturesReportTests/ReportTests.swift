import Foundation
import FuturesModel
import FuturesReport
import FuturesTraceSchema
import Testing
import TraceFixtures

/// The headless views, drawn from recorded traces: the report, the JSON
/// summary, the SVG timeline and the Chrome export.
@Suite("Reports and exports")
struct ReportTests {
    @Test("the Chrome trace export: a track per thread, a slice per task, a flow per submit, valid JSON")
    func chromeExport() throws {
        let (header, events) = try Fixtures.trace("loiter_map")
        let json = ChromeTraceExporter.export(header: header, events: events)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let items = try #require(object["traceEvents"] as? [[String: Any]])
        let tasks = items.filter { $0["ph"] as? String == "X" && $0["cat"] as? String == "task" }
        #expect(Set(tasks.compactMap { $0["name"] as? String }) == Set((0..<5).map { "loiter(\($0))" }))
        let loiter4 = try #require(tasks.first { $0["name"] as? String == "loiter(4)" })
        #expect((loiter4["ts"] as? NSNumber)?.doubleValue == 1_000_000)
        #expect((loiter4["dur"] as? NSNumber)?.doubleValue == 4_000_000)
        #expect(items.filter { $0["ph"] as? String == "s" }.count == 5)
        #expect(items.filter { $0["ph"] as? String == "f" }.count == 5)
        let threads = Set(items.filter { $0["name"] as? String == "thread_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String })
        #expect(threads.isSuperset(of: ["MainThread", "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1", "ThreadPoolExecutor-0_2"]))
        #expect(ChromeTraceExporter.export(header: header, events: events) == json, "the same trace exports the same bytes")
    }

    @Test("the headless report of a trace: runtime line, log, timeline, futures, expectations")
    func headless() throws {
        let (header, events) = try Fixtures.trace("loiter_map")
        let text = HeadlessReport.render(RunModel(header: header, events: events), style: ReportStyle(color: false))
        #expect(text.contains("runtime: deterministic · seed 0 · random · 2 simulated cores · virtual clock"))
        #expect(text.contains("[+5.000s] result 4: 40"))
        #expect(text.contains("ThreadPoolExecutor-0_2  loiter(1)"))
        #expect(text.contains("✔ no deadlock"))
    }

    @Test("the JSON summary parses and names the runtime, the futures and the expectations")
    func summary() throws {
        let (header, events) = try Fixtures.trace("deadlock_mutual_wait")
        let json = SummaryJSON.render(RunModel(header: header, events: events))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["runtime"] as? String == "deterministic")
        #expect((object["futures"] as? [[String: Any]])?.count == 2)
    }

    static func summary(_ name: String) throws -> [String: Any] {
        let (header, events) = try Fixtures.trace(name)
        let json = SummaryJSON.render(RunModel(header: header, events: events))
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("gil_contention's lanes: the two GIL-pool threads take turns running (more than ten hand-overs); executors carry the scenario's names")
    func gilLanes() throws {
        let object = try Self.summary("gil_contention")
        let executors = try #require(object["executors"] as? [[String: Any]])
        #expect(executors.compactMap { $0["name"] as? String }
            == ["gil_threads_1", "gil_threads_2", "processes_1", "processes_2", "threads_1", "threads_2"])
        let gilPool = try #require(executors.first { $0["name"] as? String == "gil_threads_2" })
        #expect(gilPool["kind"] as? String == "thread" && gilPool["gil"] as? Bool == true && gilPool["max_workers"] as? Int == 2)
        #expect(gilPool["threads"] as? [String] == ["ThreadPoolExecutor-1_0", "ThreadPoolExecutor-1_1"])
        #expect(executors.first { $0["name"] as? String == "processes_2" }?["threads"] as? [String]
            == ["ProcessPoolExecutor-3_0", "ProcessPoolExecutor-3_1"])
        let lanes = try #require(object["lanes"] as? [[String: Any]])
        // Every running segment of the GIL pool's two threads, in time order: who runs next.
        var running: [(start: Double, thread: String)] = []
        for lane in lanes where lane["group"] as? String == "gil_threads_2" {
            for segment in lane["segments"] as? [[String: Any]] ?? [] where segment["kind"] as? String == "running" {
                running.append(((segment["start"] as? NSNumber)?.doubleValue ?? 0, lane["thread"] as? String ?? ""))
            }
        }
        running.sort { $0.start < $1.start }
        let handOvers = zip(running, running.dropFirst()).filter { $0.thread != $1.thread }.count
        #expect(handOvers > 10, "\(handOvers) hand-overs of the GIL between the two threads")
        // While one runs the other waits for the GIL: running never overlaps inside the pool.
        let segments = lanes.filter { $0["group"] as? String == "gil_threads_2" }.flatMap { $0["segments"] as? [[String: Any]] ?? [] }
        #expect(segments.contains { $0["kind"] as? String == "gil_wait" })
    }

    @Test("producer_consumer's objects: the queue with its depth samples; dining_philosophers' deadlock explained")
    func objects() throws {
        let object = try Self.summary("producer_consumer")
        let objects = try #require(object["objects"] as? [[String: Any]])
        let queue = try #require(objects.first { $0["name"] as? String == "q" })
        #expect(queue["kind"] as? String == "queue")
        let depth = try #require(queue["depth"] as? [[NSNumber]])
        #expect(depth.count > 20, "a sample per put and get")
        #expect(depth.allSatisfy { $0.count == 2 && $0[1].intValue >= 0 })
        #expect(depth.map { $0[0].doubleValue } == depth.map { $0[0].doubleValue }.sorted())
        #expect((queue["max_depth"] as? Int ?? 0) >= 1)
        let philosophers = try Self.summary("dining_philosophers")
        let deadlock = try #require(philosophers["deadlock"] as? [String: Any])
        let explanation = try #require(deadlock["explanation"] as? [String])
        #expect(explanation.first?.hasPrefix("philosopher-0 holds c0 and waits for c1, held by philosopher-1, which holds c1") == true)
        let lanes = try #require(philosophers["lanes"] as? [[String: Any]])
        #expect(lanes.compactMap { $0["thread"] as? String }.filter { $0.hasPrefix("philosopher-") } == (0..<5).map { "philosopher-\($0)" })
    }

    @Test("a version-1 trace (before executor and object lines) still reads and draws")
    func versionOne() throws {
        let lines = [
            #"{"format":"futureslab-trace","version":1,"program":"old","runtime":"deterministic","clock":"virtual","seed":1}"#,
            #"{"seq":1,"t":0.000000000,"kind":"submitted","thread":"MainThread","future":1,"label":"f()","executor":"ThreadPoolExecutor-0"}"#,
            #"{"seq":2,"t":0.000000000,"kind":"worker_started","thread":"ThreadPoolExecutor-0_0","worker":"ThreadPoolExecutor-0_0","executor":"ThreadPoolExecutor-0"}"#,
            #"{"seq":3,"t":0.000000000,"kind":"started","thread":"ThreadPoolExecutor-0_0","future":1,"worker":"ThreadPoolExecutor-0_0"}"#,
            #"{"seq":4,"t":1.000000000,"kind":"returned","thread":"ThreadPoolExecutor-0_0","future":1,"result":"None","type":"NoneType"}"#,
        ]
        let trace = TraceReader.read(lines.joined(separator: "\n") + "\n", source: "old.jsonl")
        #expect(trace.error == nil && trace.header?.version == 1)
        let model = RunModel(header: trace.header, events: trace.events)
        #expect(model.lanes.map(\.group) == ["main", "ThreadPoolExecutor-0"])
        #expect(model.lanes[1].segments.map(\.kind) == [.running, .idle])
        #expect(Timeline.render(model, style: ReportStyle()).contains { $0.contains("f()") })
    }

    @Test("the SVG timeline is one document with a lane per thread")
    func svg() throws {
        let (header, events) = try Fixtures.trace("loiter_map")
        let svg = SVGTimeline.render(RunModel(header: header, events: events))
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"))
        for thread in ["MainThread", "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1", "ThreadPoolExecutor-0_2"] {
            #expect(svg.contains(thread))
        }
    }
}
