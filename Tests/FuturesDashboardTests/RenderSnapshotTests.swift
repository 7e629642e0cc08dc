import Foundation
import FuturesDashboard
import FuturesModel
import FuturesTraceSchema
import Testing
import TraceFixtures

/// The pure renderer, frozen: a recorded run (`Snapshots/traces/`, the traces
/// of shipped scenarios) drawn at several sizes and moments, compared with
/// `Snapshots/`. The renderer's tests read trace files only — no scenario is
/// parsed or run here; `DashboardTraceFixtureTests` (FuturesScenarioTests)
/// keeps the traces equal to the scenarios' runs. After an intended change:
/// `FUTURESLAB_RECORD_GOLDENS=1 swift test --filter RenderSnapshotTests`, then
/// review `git diff Tests/FuturesDashboardTests/Snapshots`.
@Suite("Dashboard render snapshots")
struct RenderSnapshotTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func dashboard(_ scenario: String) throws -> Dashboard {
        let trace = try Fixtures.trace(scenario)
        return Dashboard(playback: Playback(header: trace.header, events: trace.events, isComplete: true), view: ViewState(color: true))
    }

    static func check(_ grid: CellGrid, _ name: String) throws {
        let path = root + "/Tests/FuturesDashboardTests/Snapshots/\(name).txt"
        if ProcessInfo.processInfo.environment["FUTURESLAB_RECORD_GOLDENS"] != nil {
            try grid.text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(grid.text == expected, "\(name) differs from \(path)")
    }

    static let sizes = [(120, 40), (100, 30), (80, 24)]

    @Test("loiter_map, as_completed and deadlock_mutual_wait at the end of the run, at 120×40, 100×30 and 80×24",
          arguments: ["loiter_map", "as_completed", "deadlock_mutual_wait"])
    func finished(scenario: String) throws {
        var dashboard = try Self.dashboard(scenario)
        dashboard.tick(wallNanoseconds: 60_000_000_000)
        #expect(dashboard.playback.atEnd)
        for (width, height) in Self.sizes {
            try Self.check(DashboardRenderer.render(dashboard, width: width, height: height), "\(scenario)-end-\(width)x\(height)")
        }
    }

    @Test("loiter_map mid-run (t=1.5 s of 5): loiter(4) running, map waiting on loiter(2)")
    func midRun() throws {
        var dashboard = try Self.dashboard("loiter_map")
        dashboard.tick(wallNanoseconds: 1_500_000_000)
        #expect(dashboard.runState == .running)
        let grid = DashboardRenderer.render(dashboard, width: 120, height: 40)
        try Self.check(grid, "loiter_map-mid-120x40")
        #expect(grid.text.contains("▶ running"))
        #expect(grid.text.contains("○ pending") == false)
    }

    @Test("GIL waits show in the lanes (▒) and in the help legend")
    func gilWaits() throws {
        var dashboard = try Self.dashboard("gil_convoy")
        dashboard.tick(wallNanoseconds: 60_000_000_000)
        let grid = DashboardRenderer.render(dashboard, width: 120, height: 40)
        try Self.check(grid, "gil_convoy-end-120x40")
        #expect(grid.text.contains("▒"))
    }

    @Test("the toolkit in the lanes: lock holds and the deadlock of lock_ordering, queue waits of producer_consumer, the worker actor's calls and the actors' waits",
          arguments: ["lock_ordering", "producer_consumer", "actors"])
    func toolkit(scenario: String) throws {
        var dashboard = try Self.dashboard(scenario)
        dashboard.tick(wallNanoseconds: 60_000_000_000)
        let grid = DashboardRenderer.render(dashboard, width: 120, height: 40)
        try Self.check(grid, "\(scenario)-end-120x40")
        #expect(grid.text.contains("░"), "waits are drawn in the lanes")
    }

    @Test("overlays and the too-small message")
    func overlays() throws {
        var dashboard = try Self.dashboard("deadlock_mutual_wait")
        dashboard.tick(wallNanoseconds: 60_000_000_000)
        _ = dashboard.handle(.toggleHelp)
        try Self.check(DashboardRenderer.render(dashboard, width: 100, height: 30), "help-100x30")
        _ = dashboard.handle(.closeOverlay)
        _ = dashboard.handle(.openDetail)
        try Self.check(DashboardRenderer.render(dashboard, width: 100, height: 30), "detail-100x30")
        let small = DashboardRenderer.render(dashboard, width: 50, height: 12)
        #expect(small.text.contains("needs at least 60×16"))
    }
}
