@testable import FuturesModel
import FuturesTraceSchema
import Testing

/// A long lane's columns from block totals are the columns from its segments.
@Suite("Lane blocks")
struct LaneBlocksTests {
    /// One worker running `tasks` futures of varied lengths with idle gaps,
    /// and a lock wait now and then: thousands of segments.
    static func longLane(tasks: Int) -> LaneModel {
        var events: [TraceEvent] = []
        var time: UInt64 = 0
        func add(_ thread: String, _ payload: TraceEvent.Payload) {
            events.append(TraceEvent(seq: events.count + 1, nanoseconds: time, thread: thread, payload))
        }
        add("MainThread", .workerStarted(worker: "pool_0", executor: "pool"))
        for id in 1...UInt64(tasks) {
            add("MainThread", .submitted(future: id, executor: "pool", label: "task(\(id))"))
            time += 1_000 + id % 7 * 300
            add("pool_0", .started(future: id, worker: "pool_0"))
            if id % 5 == 0 {
                time += 2_000 + id % 3 * 1_000
                add("pool_0", .waitBegan(TraceEvent.Wait(kind: .lock, waitsFor: "lock gate", object: "gate")))
                time += 500 + id % 11 * 100
                add("pool_0", .waitEnded(TraceEvent.Wait(kind: .lock, waitsFor: "lock gate", object: "gate"), timedOut: false))
            }
            time += 3_000 + id % 13 * 977
            add("pool_0", .returned(future: id, result: "None", type: "NoneType"))
        }
        return LaneModel(events: events)
    }

    @Test("a kind's index is its place among all kinds")
    func kindIndex() {
        for (position, kind) in LaneModel.SegmentKind.allCases.enumerated() {
            #expect(LaneModel.Lane.kindIndex[kind] == position)
        }
    }

    @Test("whole blocks are summarised as segments settle, never the last two")
    func blocksFollowSegments() throws {
        let lane = try #require(Self.longLane(tasks: 3_000).lane("pool_0"))
        #expect(lane.segments.count > 6_000)
        #expect(lane.blocks.count == (lane.segments.count - 2) / LaneModel.Lane.Block.size)
        for (number, block) in lane.blocks.enumerated() {
            let segments = lane.segments[number * 64 ..< (number + 1) * 64]
            #expect(block.start == segments.first!.start && block.end == segments.last!.end)
            #expect(block.time.reduce(0, +) == segments.reduce(0) { $0 + ($1.end! - $1.start) })
        }
    }

    @Test("columns from block totals equal columns from every segment, at every width and window", arguments: [20, 80, 120, 400, 5_000])
    func sameCells(columns: Int) throws {
        let lane = try #require(Self.longLane(tasks: 3_000).lane("pool_0"))
        var walked = lane
        walked.blocks = []
        let end = lane.segments.last!.start + 10_000
        for (start, stop) in [(UInt64(0), end), (end / 3, end / 2), (end / 10, end - 1)] {
            #expect(lane.cells(from: start, to: stop, count: columns, now: end) == walked.cells(from: start, to: stop, count: columns, now: end),
                    "\(columns) columns over \(start)–\(stop)")
        }
    }
}

/// Future ids dense or scattered map the same.
@Suite("Future table")
struct FutureTableTests {
    @Test("ids in order, scattered, huge and removed read back as a dictionary would")
    func againstDictionary() {
        var table = FutureTable<Int>()
        var reference: [UInt64: Int] = [:]
        var random = SystemRandomNumberGenerator()
        let ids: [UInt64] = Array(1...3_000) + [5_000_000, UInt64.max, 0, 2_047, 9_999] + (0..<2_000).map { _ in UInt64.random(in: 0...20_000, using: &random) }
        for (n, id) in ids.enumerated() {
            table[id] = n
            reference[id] = n
            if n % 7 == 0 {
                #expect(table.removeValue(forKey: id) == reference.removeValue(forKey: id))
            }
        }
        for id in Set(ids).union([1, 2, 3, 4_000, 123_456]) { #expect(table[id] == reference[id], "id \(id)") }
    }
}
