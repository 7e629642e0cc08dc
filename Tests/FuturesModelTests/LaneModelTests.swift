import FuturesModel
import FuturesTraceSchema
import Testing
import TraceFixtures

/// The lane model: one list of non-overlapping, typed segments per thread,
/// from recorded traces.
@Suite("Lane model")
struct LaneModelTests {
    static func lanes(_ name: String) throws -> [LaneModel.Lane] {
        LaneModel(events: try Fixtures.trace(name).events).lanes
    }

    @Test("segments of a lane follow each other without overlap, in time order", arguments: [
        "loiter_map", "as_completed", "gil_contention", "dining_philosophers", "producer_consumer", "actors", "lock_ordering",
    ])
    func noOverlap(trace: String) throws {
        for lane in try Self.lanes(trace) {
            for (a, b) in zip(lane.segments, lane.segments.dropFirst()) {
                #expect(a.end != nil && a.end! <= b.start, "\(trace) \(lane.thread): \(a) then \(b)")
                #expect(a.kind != b.kind || a.future != b.future || a.object != b.object || a.end != b.start,
                        "\(trace) \(lane.thread): two equal segments side by side")
            }
            #expect(lane.segments.allSatisfy { segment in segment.end.map { $0 > segment.start || segment.kind == .deadlocked } ?? true },
                    "\(trace) \(lane.thread): an empty segment")
        }
    }

    @Test("loiter_map: workers run then sleep; map's main thread waits on futures; lanes in natural order")
    func loiter() throws {
        let lanes = try Self.lanes("loiter_map")
        #expect(lanes.map(\.thread) == ["MainThread", "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1", "ThreadPoolExecutor-0_2"])
        #expect(lanes.dropFirst().allSatisfy { $0.group == "executor" })
        let kinds = Set(lanes.dropFirst().flatMap { $0.segments.map(\.kind) })
        #expect(kinds.isSuperset(of: [.sleep, .idle]))
        #expect(lanes[0].group == "main" && lanes[0].segments.contains { $0.kind == .futureWait })
        // loiter(4) (future 5) sleeps from t=1 to t=5 on one worker.
        let sleep4 = try #require(lanes.flatMap(\.segments).first { $0.kind == .sleep && $0.future == 5 })
        #expect(sleep4.start == 1_000_000_000 && sleep4.end == 5_000_000_000)
    }

    @Test("gil_contention: the two GIL threads take turns — at least ten hand-overs, never running at once")
    func gilTurns() throws {
        let lanes = try Self.lanes("gil_contention")
        let gilLanes = lanes.filter { lane in lane.segments.contains { $0.kind == .gilWait } }
        #expect(gilLanes.count >= 2)
        let pair = Array(gilLanes.prefix(2))
        let running = pair.map { lane in lane.segments.filter { $0.kind == .running } }
        #expect(running.allSatisfy { $0.count >= 5 }, "each takes the GIL at least five times")
        // Hand-overs: consecutive running segments, merged across both lanes, alternate threads.
        let merged = (running[0].map { ($0, 0) } + running[1].map { ($0, 1) }).sorted { $0.0.start < $1.0.start }
        let handOvers = zip(merged, merged.dropFirst()).filter { $0.1 != $1.1 }.count
        #expect(handOvers >= 10)
        for a in running[0] {
            for b in running[1] {
                #expect(a.end! <= b.start || b.end! <= a.start, "two GIL threads running at once: \(a) \(b)")
            }
        }
    }

    @Test("dining_philosophers: lanes philosopher-0…4 in order; the naive ones end deadlocked on a lock")
    func philosophers() throws {
        let lanes = try Self.lanes("dining_philosophers")
        let names = lanes.map(\.thread).filter { $0.hasPrefix("philosopher") }
        #expect(Array(names.prefix(5)) == (0..<5).map { "philosopher-\($0)" })
        let philosophers = lanes.filter { $0.thread.hasPrefix("philosopher") }
        let deadlocked = philosophers.flatMap(\.segments).filter { $0.kind == .deadlocked }
        #expect(deadlocked.count == 5, "each naive philosopher is in the cycle")
        #expect(Set(deadlocked.compactMap(\.object)) == ["c0", "c1", "c2", "c3", "c4"], "a deadlocked wait names its lock")
        // MainThread, joining philosopher-0, is blocked too.
        #expect(lanes[0].thread == "MainThread" && lanes[0].segments.contains { $0.kind == .deadlocked })
    }

    @Test("producer_consumer: consumers wait on the queue, not on a lock")
    func queueWaits() throws {
        let kinds = Set(try Self.lanes("producer_consumer").flatMap { $0.segments.map(\.kind) })
        #expect(kinds.contains(.queueWait))
    }

    @Test("natural order compares runs of digits as numbers")
    func naturalOrder() {
        #expect(LaneOrder.naturalLess("worker-2", "worker-10"))
        #expect(!LaneOrder.naturalLess("worker-10", "worker-2"))
        #expect(LaneOrder.naturalLess("ThreadPoolExecutor-0_2", "ThreadPoolExecutor-1_0"))
        #expect(LaneOrder.naturalLess("a", "ab"))
    }
}
