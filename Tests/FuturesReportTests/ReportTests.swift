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
