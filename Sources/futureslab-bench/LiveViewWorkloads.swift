import CFuturesShim
import Foundation
import FuturesCore
import FuturesDashboard
import FuturesModel
import FuturesTrace
import FuturesTraceSchema

/// What a live view costs once a run has recorded a great many events, and
/// what loading such a run's trace costs.
enum LiveViewWorkloads {
    /// Median milliseconds of a live view's frame (read the events recorded
    /// since the last frame, apply them, render 120×40) once a traced pool of
    /// 8 workers has recorded `events` events; between frames the pool runs
    /// 1,000 more tasks (3,000 events), as a busy run would. The catch-up
    /// read of the first `events` is not counted.
    static func liveFrameMilliseconds(events target: Int, frames: Int = 40) throws -> Double {
        let recorder = TraceRecorder(program: "live")
        let runtime = NativeRuntime(trace: recorder)
        let pool = try ThreadPoolExecutor(maxWorkers: 8, runtime: runtime)
        defer { pool.shutdown(wait: true) }
        func runTasks(_ count: Int) throws {
            var futures: [Future<Void>] = []
            futures.reserveCapacity(count)
            for _ in 0..<count { futures.append(try pool.submit {}) }
            _ = try wait(futures)
        }
        try runTasks(target / 3)
        var view = ViewState()
        view.isLive = true
        var dashboard = Dashboard(playback: Playback(header: recorder.currentHeader, events: [], isComplete: false), view: view)
        var cursor = TraceCursor()
        var parts = [0.0, 0.0, 0.0, 0.0]
        func frame() {
            let t0 = fl_monotonic_ns()
            let fresh = recorder.drain(&cursor, holdback: 0)
            let t1 = fl_monotonic_ns()
            dashboard.append(events: fresh, header: nil, complete: false)
            let t15 = fl_monotonic_ns()
            dashboard.tick(wallNanoseconds: 100_000_000, liveClock: dashboard.playback.endTime)
            let t2 = fl_monotonic_ns()
            parts[3] += Double(t15 - t1) / 1e6
            let grid = DashboardRenderer.render(dashboard, width: 120, height: 40)
            precondition(grid.width == 120)
            let t3 = fl_monotonic_ns()
            parts[0] += Double(t1 - t0) / 1e6
            parts[1] += Double(t2 - t1) / 1e6
            parts[2] += Double(t3 - t2) / 1e6
        }
        frame()
        parts = [0, 0, 0, 0]
        precondition(dashboard.playback.events.count >= target - 3)
        var samples: [Double] = []
        for _ in 0..<frames {
            try runTasks(1_000)
            let start = fl_monotonic_ns()
            frame()
            samples.append(Double(fl_monotonic_ns() - start) / 1e6)
        }
        if ProcessInfo.processInfo.environment["FUTURESLAB_BENCH_SAMPLES"] != nil {
            printToStandardError("live frame at \(target) events, ms a frame: read \(parts[0] / Double(frames)), append \(parts[3] / Double(frames)), append+apply \(parts[1] / Double(frames)), render \(parts[2] / Double(frames))")
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Seconds to load a trace of about `events` events (read, parse, build
    /// the model of the whole run, as `replay` does) and the resident memory
    /// it keeps, in bytes an event (malloc's count of bytes in use, after
    /// less before: the file's text is gone by then, the events and the
    /// model stay). The trace is the synthetic run of
    /// `DashboardWorkloads` (64 workers), written first and then forgotten.
    static func replayLoad(events target: Int) throws -> (seconds: Double, bytesPerEvent: Double) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-replay-\(getpid()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let (header, events) = DashboardWorkloads.syntheticTrace(workers: 64, futures: target / 3)
            try TraceWriter.file(header: header, events: events).write(toFile: path, atomically: false, encoding: .utf8)
        }
        let before = Int(fl_heap_bytes_in_use())
        let start = fl_monotonic_ns()
        let read = TraceReader.read(contentsOf: path)
        let readAt = fl_monotonic_ns()
        let model = RunModel(header: read.header, events: read.events)
        let seconds = Double(fl_monotonic_ns() - start) / 1e9
        if ProcessInfo.processInfo.environment["FUTURESLAB_BENCH_SAMPLES"] != nil {
            printToStandardError("replay load: read \(Double(readAt - start) / 1e9) s, model \(Double(fl_monotonic_ns() - readAt) / 1e9) s; strides: event \(MemoryLayout<TraceEvent>.stride), row \(MemoryLayout<RunModel.FutureRow>.stride), segment \(MemoryLayout<LaneModel.Segment>.stride)")
        }
        precondition(read.error == nil && model.futures.count == target / 3)
        let kept = Int(fl_heap_bytes_in_use()) - before
        return withExtendedLifetime((read, model)) { (seconds, Double(kept) / Double(read.events.count)) }
    }
}
