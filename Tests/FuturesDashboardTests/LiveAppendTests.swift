import FuturesDashboard
import FuturesTraceSchema
import Testing
import TraceFixtures

/// A live view reads only what is new each frame: fed the same events in
/// pieces, it draws exactly what a view given them all at once draws.
@Suite("Live views apply only new events")
struct LiveAppendTests {
    @Test("events appended in pieces draw the same screens as the whole trace", arguments: ["loiter_map", "dining_philosophers", "producer_consumer"])
    func pieces(trace: String) throws {
        let (header, events) = try Fixtures.trace(trace)
        var view = ViewState()
        view.isLive = true
        // Questions are asked as a run starts; a live run records them first,
        // this test's pieces would bring them late.
        view.asksQuestions = false
        var whole = Dashboard(playback: Playback(header: header, events: [], isComplete: false), view: view)
        whole.update(events: events, header: header, complete: true)
        var pieces = Dashboard(playback: Playback(header: header, events: [], isComplete: false), view: view)
        var start = 0
        while start < events.count {
            let end = min(events.count, start + 7)
            pieces.append(events: Array(events[start..<end]), header: header, complete: end == events.count)
            pieces.tick(wallNanoseconds: 100_000_000, liveClock: pieces.playback.endTime)
            start = end
        }
        whole.tick(wallNanoseconds: 100_000_000, liveClock: whole.playback.endTime)
        #expect(pieces.playback.events == whole.playback.events)
        #expect(pieces.playback.logLines == whole.playback.logLines)
        let a = DashboardRenderer.render(pieces, width: 120, height: 40).text.split(separator: "\n")
        let b = DashboardRenderer.render(whole, width: 120, height: 40).text.split(separator: "\n")
        for (row, (x, y)) in zip(a, b).enumerated() where x != y {
            Issue.record("row \(row):\n\(x)\n\(y)")
        }
    }
}
