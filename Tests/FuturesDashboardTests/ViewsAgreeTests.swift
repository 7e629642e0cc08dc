import Foundation
import FuturesDashboard
import FuturesModel
import FuturesReport
import FuturesTraceSchema
import Testing
import TraceFixtures

/// Every view tells the same truth: one trace drawn by the dashboard, the
/// headless timeline, the SVG and the Chrome export, each lane checked
/// against the lane model — column by column for the text views (they share
/// `LaneModel.Lane.cells`), segment by segment for the SVG and Chrome.
@Suite("All views agree with the lane model")
struct ViewsAgreeTests {
    static let scenarios = ["loiter_map", "gil_contention", "dining_philosophers", "producer_consumer", "pollable_queues", "deadlock_mutual_wait"]

    /// Legend glyph → what it stands for (a segment kind, or turns).
    static let glyphs: [Character: String] = {
        var map: [Character: String] = [:]
        for kind in LaneModel.SegmentKind.allCases where kind != .idle { map[kind.legend.glyph] = kind.rawValue }
        map[LaneLegend.turns.glyph] = "turns"
        return map
    }()

    static func expected(_ cell: LaneCell) -> String? {
        cell.turns ? "turns" : cell.kind.map(\.rawValue)
    }

    /// Checks a drawn row against the model's cells: every column drawn with
    /// a legend glyph shows the model's kind there, and every busy column of
    /// the model is drawn (as its glyph, a mark or a task label).
    static func check(_ row: [Character], _ cells: [LaneCell], _ what: String) {
        #expect(row.count == cells.count, "\(what): \(row.count) columns drawn, \(cells.count) in the model")
        var mismatches: [String] = []
        for (column, (character, cell)) in zip(row, cells).enumerated() {
            if let drawn = glyphs[character], cell.mark == nil, drawn != expected(cell) {
                mismatches.append("column \(column): drew \(drawn), the model has \(expected(cell) ?? "idle")")
            }
            if cell.kind == nil, cell.mark == nil, character != " ", character != "│" {
                mismatches.append("column \(column): drew '\(character)' where the model is idle")
            }
            if cell.kind != nil, character == " " { mismatches.append("column \(column): blank where the model has \(expected(cell)!)") }
        }
        #expect(mismatches.isEmpty, "\(what): \(mismatches.prefix(5).joined(separator: "; "))")
    }

    @Test("the dashboard draws each lane as the model's cells", arguments: scenarios)
    func dashboard(scenario: String) throws {
        let trace = try Fixtures.trace(scenario)
        var view = ViewState()
        view.asksQuestions = false
        var dashboard = Dashboard(playback: Playback(header: trace.header, events: trace.events, isComplete: true), view: view)
        dashboard.tick(wallNanoseconds: 600_000_000_000)
        let (width, height) = (160, 60)
        let grid = DashboardRenderer.render(dashboard, width: width, height: height)
        let model = dashboard.model
        let rows = (0..<height).map { Array(grid.text(row: $0)) }
        var checked = 0
        for lane in model.lanes {
            // The lane's row: its name from column 1, then a space, then the plot.
            guard let y = rows.firstIndex(where: { String($0[1...]).hasPrefix(lane.thread + " ") }) else { continue }
            // The name column is the longest name and 3, at least 12, at most a quarter of the width.
            let nameWidth = min(max(12, (model.lanes.map(\.thread.count).max() ?? 10) + 3), width / 4)
            let plotX = nameWidth + 1
            let cells = lane.cells(from: 0, to: dashboard.totalSpan, count: width - plotX, now: dashboard.shownTime)
            Self.check(Array(rows[y][plotX...]), cells, "\(scenario) dashboard \(lane.thread)")
            checked += 1
        }
        #expect(checked >= 2, "\(scenario): lanes found on screen")
    }

    @Test("the headless timeline draws each lane as the model's cells", arguments: scenarios)
    func headless(scenario: String) throws {
        let trace = try Fixtures.trace(scenario)
        let model = RunModel(header: trace.header, events: trace.events)
        let style = ReportStyle(color: false, timelineWidth: 90)
        let lines = Timeline.render(model, style: style)
        var checked = 0
        for lane in model.lanes {
            guard let line = lines.first(where: { $0.hasPrefix("  " + lane.thread + " ") }) else { continue }
            let nameWidth = min(28, model.lanes.filter { $0.thread != "MainThread" || $0.segments.contains { $0.kind != .idle } }
                .map(\.thread.count).max() ?? 10) + 4
            var row = Array(line.dropFirst(nameWidth))
            row += Array(repeating: " ", count: max(0, 90 - row.count))  // trailing spaces are trimmed
            Self.check(row, lane.cells(from: 0, to: max(model.endTime, 1), count: 90, now: model.endTime), "\(scenario) headless \(lane.thread)")
            checked += 1
        }
        #expect(checked >= 2)
    }

    /// The model's segments of each lane, as kinds in order (idle left out).
    static func segmentKinds(_ model: RunModel) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: model.lanes.map { lane in
            (lane.thread, lane.segments.filter { $0.kind != .idle }.map(\.kind.rawValue))
        })
    }

    @Test("the SVG draws every segment of every lane, in order, with its kind", arguments: scenarios)
    func svg(scenario: String) throws {
        let trace = try Fixtures.trace(scenario)
        let model = RunModel(header: trace.header, events: trace.events)
        var drawn: [String: [String]] = [:]
        var lane: String?
        for line in SVGTimeline.render(model).split(separator: "\n") {
            if line.hasPrefix(#"<text x="22""#), let open = line.firstIndex(of: ">"), let close = line.lastIndex(of: "<") {
                lane = String(line[line.index(after: open)..<close])
                drawn[lane!] = []
            } else if let lane, line.hasPrefix("<rect class=\""), let kind = line.dropFirst(13).split(separator: "\"").first {
                drawn[lane]!.append(String(kind))
            }
        }
        let expected = Self.segmentKinds(model).filter { drawn[$0.key] != nil }
        #expect(drawn.count >= 2)
        #expect(drawn == expected)
    }

    @Test("the Chrome export has a slice for every segment of every lane, with its kind as category", arguments: scenarios)
    func chrome(scenario: String) throws {
        let trace = try Fixtures.trace(scenario)
        let model = RunModel(header: trace.header, events: trace.events)
        let json = ChromeTraceExporter.export(header: trace.header, events: trace.events)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let items = try #require(root["traceEvents"] as? [[String: Any]])
        var names: [Int: String] = [:]
        for item in items where item["name"] as? String == "thread_name" {
            names[(item["tid"] as? NSNumber)?.intValue ?? 0] = (item["args"] as? [String: Any])?["name"] as? String
        }
        let kinds = Set(LaneModel.SegmentKind.allCases.map(\.rawValue))
        var drawn: [String: [String]] = [:]
        for item in items where item["ph"] as? String == "X" {
            guard let category = item["cat"] as? String, kinds.contains(category),
                  let thread = names[(item["tid"] as? NSNumber)?.intValue ?? 0] else { continue }
            drawn[thread, default: []].append(category)
        }
        let expected = Self.segmentKinds(model).filter { !$0.value.isEmpty }
        #expect(drawn == expected)
    }
}
