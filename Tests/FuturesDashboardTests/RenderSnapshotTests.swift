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

    /// The scenario's recorded run, played without stopping for its questions
    /// (`questions()` tests those).
    static func dashboard(_ scenario: String, questions: Bool = false) throws -> Dashboard {
        let trace = try Fixtures.trace(scenario)
        var view = ViewState(color: true)
        view.asksQuestions = questions
        return Dashboard(playback: Playback(header: trace.header, events: trace.events, isComplete: true), view: view)
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
        switch scenario {
        case "lock_ordering": #expect(grid.text.contains("░") && grid.text.contains("╳"), "lock waits and the deadlocked waits")
        case "producer_consumer": #expect(grid.text.contains("≈") && grid.text.contains("+ put"), "queue waits; puts are marked, and the legend says so")
        default: #expect(grid.text.contains("- get") && grid.text.contains("worker_actor"), "mailbox gets are marked; the objects pane lists the actors")
        }
    }

    @Test("the lessons a class reads: the GIL, the philosophers, a queue and select at the end, at 80×24, 120×40 and 200×60",
          arguments: ["gil_contention", "dining_philosophers", "producer_consumer", "pollable_queues"])
    func lessons(scenario: String) throws {
        var dashboard = try Self.dashboard(scenario)
        dashboard.tick(wallNanoseconds: 600_000_000_000)
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let grid = DashboardRenderer.render(dashboard, width: width, height: height)
            try Self.check(grid, "\(scenario)-end-\(width)x\(height)")
            let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.contains { $0.hasSuffix("? help · q quit") }, "\(scenario) \(width)×\(height): the footer ends with ? help · q quit")
        }
    }

    @Test("gil_contention: the GIL pool's lanes sit under their scenario name and take turns (▚); zoomed in, running and waiting alternate")
    func gilTurns() throws {
        var dashboard = try Self.dashboard("gil_contention")
        dashboard.tick(wallNanoseconds: 600_000_000_000)
        let grid = DashboardRenderer.render(dashboard, width: 120, height: 40)
        #expect(grid.text.contains("gil_threads_2 · thread pool ×2 · GIL"))
        #expect(grid.text.contains("processes_2 · process pool ×2"))
        let turns = grid.text.split(separator: "\n").filter { $0.contains("ThreadPoolExecutor-1_") && $0.contains("▚") }
        #expect(turns.count == 2, "both GIL-pool lanes take turns")
        // Zoomed to 40 ms around t=2.02 s: each lane alternates █ and ▒.
        var zoomed = dashboard
        zoomed.seek(to: 2_020_000_000)
        zoomed.view.span = 40_000_000
        let close = DashboardRenderer.render(zoomed, width: 120, height: 40).text.split(separator: "\n")
        let lanes = close.filter { $0.dropFirst().hasPrefix("ThreadPoolExecutor-1_") }
        #expect(lanes.count == 2 && lanes.allSatisfy { $0.contains("▒") && ($0.contains("█") || $0.contains("compute")) })
        // Enter on a GIL-pool lane: its time, half running, half waiting for the GIL.
        _ = dashboard.handle(.focusNext)
        #expect(dashboard.view.focus == .timeline)
        for _ in 0..<4 { _ = dashboard.handle(.selectDown) }
        #expect(dashboard.selectedLane == "ThreadPoolExecutor-1_0")
        _ = dashboard.handle(.openDetail)
        let detail = DashboardRenderer.render(dashboard, width: 120, height: 40)
        try Self.check(detail, "gil_contention-thread-120x40")
        #expect(detail.text.contains("running 1.000 s · waiting for the GIL 1.000 s"), "two tasks of 0.5 s, each taking turns: twice as long")
    }

    @Test("dining_philosophers: the banner explains the cycle only from the deadlock's time; enter on an object shows who holds it")
    func philosophers() throws {
        var dashboard = try Self.dashboard("dining_philosophers")
        dashboard.tick(wallNanoseconds: 600_000_000_000)
        let end = DashboardRenderer.render(dashboard, width: 120, height: 40).text
        #expect(end.contains("philosopher-0 holds c0 and waits for c1, held by philosopher-1"))
        let names = end.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("philosopher-") ? String(text.prefix(13)) : nil
        }
        #expect(names == (0..<5).map { "philosopher-\($0)" })
        // Before the deadlock (t=0.05 s) there is none on screen.
        _ = dashboard.handle(.cursorToStart)
        for _ in 0..<5 { _ = dashboard.handle(.cursorForward) }
        #expect(dashboard.shownTime < 100_000_000)
        let before = DashboardRenderer.render(dashboard, width: 120, height: 40).text
        #expect(!before.contains("DEADLOCK"), "the banner waits for the deadlock's time")
        // Stepped to the deadlock, event by event: the objects pane and c1's
        // detail name its holder and its waiter.
        dashboard = try Self.dashboard("dining_philosophers")
        while dashboard.model.deadlocks.isEmpty { _ = dashboard.handle(.step) }
        let atDeadlock = DashboardRenderer.render(dashboard, width: 120, height: 40).text
        #expect(atDeadlock.contains("held by philosopher-1"))
        while dashboard.view.focus != .objects { _ = dashboard.handle(.focusNext) }
        _ = dashboard.handle(.selectDown)
        _ = dashboard.handle(.openDetail)
        let detail = DashboardRenderer.render(dashboard, width: 120, height: 40)
        try Self.check(detail, "dining_philosophers-c1-120x40")
        #expect(detail.text.contains("held by philosopher-1"))
        #expect(detail.text.contains("philosopher-0 wait"))
    }

    @Test("loiter_map's question: asked before the run plays, a prediction, the run's answer revealed on space, then the run plays on")
    func questions() throws {
        var dashboard = try Self.dashboard("loiter_map", questions: true)
        dashboard.tick(wallNanoseconds: 100_000_000)
        guard case .question(let index)? = dashboard.view.overlay else {
            Issue.record("no question at the start")
            return
        }
        #expect(dashboard.playback.playhead == 0 && dashboard.view.paused)
        #expect(dashboard.question(at: index)?.choices == ["at 1 s", "at 4 s", "at 5 s"])
        _ = dashboard.handle(.character("2"))
        #expect(dashboard.view.prediction == 2)
        let asked = DashboardRenderer.render(dashboard, width: 100, height: 30)
        #expect(asked.text.contains("› 2. at 4 s") && !asked.text.contains("The run's answer"))
        _ = dashboard.handle(.character(" "))
        let revealed = DashboardRenderer.render(dashboard, width: 100, height: 30)
        try Self.check(revealed, "question-revealed-100x30")
        #expect(revealed.text.contains("The run's answer: at 5 s") && revealed.text.contains("✘ the prediction was 2; the run says 3"))
        _ = dashboard.handle(.character(" "))
        #expect(dashboard.view.overlay == nil && !dashboard.view.paused)
        dashboard.tick(wallNanoseconds: 60_000_000_000)
        #expect(dashboard.playback.atEnd, "asked once, the question does not stop the run again")
    }

    @Test("overlays and the too-small message")
    func overlays() throws {
        var dashboard = try Self.dashboard("deadlock_mutual_wait")
        dashboard.tick(wallNanoseconds: 60_000_000_000)
        _ = dashboard.handle(.toggleHelp)
        try Self.check(DashboardRenderer.render(dashboard, width: 100, height: 30), "help-100x30")
        // At 80×24 the help takes the whole screen, and all of it fits.
        let help = DashboardRenderer.render(dashboard, width: 80, height: 24)
        try Self.check(help, "help-80x24")
        #expect(help.text.contains("quit") && help.text.contains("esc or ? closes it") && !help.text.contains("more than fits"))
        _ = dashboard.handle(.closeOverlay)
        _ = dashboard.handle(.openDetail)
        try Self.check(DashboardRenderer.render(dashboard, width: 100, height: 30), "detail-100x30")
        let small = DashboardRenderer.render(dashboard, width: 50, height: 12)
        #expect(small.text.contains("needs at least 60×16"))
    }
}
