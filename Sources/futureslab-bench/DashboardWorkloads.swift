import Foundation
import FuturesDashboard
import FuturesTraceSchema

/// The dashboard's costs on a big synthetic run: 64 workers × 10,000 futures
/// (each future submitted, started on a worker, finished, with a log line
/// every 100), rendered at 120×40.
enum DashboardWorkloads {
    static func syntheticTrace(workers: Int = 64, futures: Int = 10_000) -> (header: TraceHeader, events: [TraceEvent]) {
        var header = TraceHeader(program: "synthetic", runtime: .deterministic, seed: 0, strategy: .random, cores: 2)
        header.title = "\(workers) workers × \(futures) futures"
        var events: [TraceEvent] = []
        func add(_ time: UInt64, _ thread: String, _ payload: TraceEvent.Payload) {
            events.append(TraceEvent(seq: events.count + 1, nanoseconds: time, thread: thread, payload))
        }
        add(0, "MainThread", .executor(.init(executor: "ThreadPoolExecutor-0", name: "pool", kind: "thread", maxWorkers: workers, gil: false)))
        for worker in 0..<workers {
            let name = "ThreadPoolExecutor-0_\(worker)"
            add(0, name, .workerStarted(worker: name, executor: "ThreadPoolExecutor-0"))
        }
        // Each worker runs its share back to back, 100 ms a task (a 15.6 s
        // run, so that a few seconds of play keep applying events); all are
        // submitted at t=0, so the events are generated in time order per round.
        let perWorker = futures / workers
        for index in 0..<futures {
            add(0, "MainThread", .submitted(future: UInt64(index + 1), executor: "ThreadPoolExecutor-0", label: "task(\(index))"))
        }
        for round in 0..<perWorker {
            for worker in 0..<workers {
                let id = UInt64(round * workers + worker + 1)
                let name = "ThreadPoolExecutor-0_\(worker)"
                add(UInt64(round) * 100_000_000, name, .started(future: id, worker: name))
            }
            for worker in 0..<workers {
                let id = UInt64(round * workers + worker + 1)
                add(UInt64(round) * 100_000_000 + 90_000_000, "ThreadPoolExecutor-0_\(worker)", .returned(future: id, result: "\(id)", type: "int"))
            }
            if round % 10 == 0 {
                add(UInt64(round) * 100_000_000 + 95_000_000, "MainThread", .log(level: "info", message: "round \(round) done"))
            }
        }
        return (header, events)
    }

    /// Median milliseconds to render one 120×40 frame in the middle of the run.
    static func renderFrameMilliseconds(frames: Int = 200) -> Double {
        let (header, events) = syntheticTrace()
        var dashboard = Dashboard(playback: Playback(header: header, events: events, isComplete: true), view: ViewState())
        dashboard.tick(wallNanoseconds: (events.last?.nanoseconds ?? 0) / 2)
        var samples: [Double] = []
        for _ in 0..<frames {
            let start = DispatchTime.now().uptimeNanoseconds
            let grid = DashboardRenderer.render(dashboard, width: 120, height: 40)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            precondition(grid.width == 120)
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// The dashboard loop without a terminal for `seconds`: playing at 30
    /// frames a second (tick, render), then paused (a wake-up every 250 ms,
    /// nothing to draw). Returns the CPU used as a fraction of one core.
    static func loopCPU(seconds: Double) -> (playing: Double, paused: Double, fps: Double) {
        let (header, events) = syntheticTrace()
        var dashboard = Dashboard(playback: Playback(header: header, events: events, isComplete: true), view: ViewState())
        func cpuSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        func wall() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        var frames = 0
        var start = wall(), cpu = cpuSeconds()
        var last = start
        var nextFrame = start
        while wall() - start < seconds {
            nextFrame += 1.0 / 30
            let pause = nextFrame - wall()
            if pause > 0 { usleep(UInt32(pause * 1e6)) }
            let now = wall()
            dashboard.tick(wallNanoseconds: UInt64((now - last) * 1e9))
            last = now
            _ = DashboardRenderer.render(dashboard, width: 120, height: 40)
            frames += 1
        }
        let playingWall = wall() - start
        let playing = (cpuSeconds() - cpu) / playingWall
        _ = dashboard.handle(.togglePause)
        start = wall()
        cpu = cpuSeconds()
        while wall() - start < seconds {
            usleep(250_000)
            dashboard.tick(wallNanoseconds: 250_000_000)
        }
        let paused = (cpuSeconds() - cpu) / (wall() - start)
        return (playing, paused, Double(frames) / playingWall)
    }
}
