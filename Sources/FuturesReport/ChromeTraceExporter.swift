import FuturesModel
import FuturesTraceSchema

/// Turns a trace into Chrome Trace Event JSON, which Perfetto
/// (ui.perfetto.dev) and chrome://tracing open: one process per lane group
/// (named by its heading: `gil_threads_2 · thread pool ×2 · GIL`), one track
/// per thread in the lanes' order, a slice per task on the worker that ran
/// it, and inside it the lane model's segments (running, waiting for the GIL,
/// a lock, a queue, …: category = the segment's kind, as every view draws
/// them), a flow arrow from each submit to the task's start, and instants for
/// marks, log lines and deadlocks.
///
/// A function of the events alone, like every view of a trace.
public enum ChromeTraceExporter {
    public static func export(header: TraceHeader, events: [TraceEvent]) -> String {
        let model = RunModel(header: header, events: events)
        var output = ChromeEvents(lanes: model.lanes)
        var pid = 0
        var group: String?
        for lane in model.lanes {
            if lane.group != group {
                group = lane.group
                pid += 1
                let heading = model.laneModel.heading(of: lane.group)
                output.processMetadata(pid: pid, name: pid == 1 ? "\(heading) — \(header.program) (\(header.runtime), \(header.clock) clock)" : heading)
            }
        }
        for lane in model.lanes {
            for segment in lane.segments where segment.kind != .idle {
                var name = segment.kind.legend.word
                if let object = segment.object { name += ": " + object } else if segment.kind != .running, let future = segment.future {
                    name += ": " + model.label(of: future)
                }
                let end = segment.end ?? model.endTime
                output.slice(name: name, category: segment.kind.rawValue, thread: lane.thread, from: segment.start,
                             to: max(end, segment.start), args: segment.future.map { [("future", String($0))] } ?? [])
            }
            for mark in lane.marks {
                output.instant(name: "\(mark.kind.legend.word) \(mark.object)", thread: lane.thread, at: mark.time, global: false)
            }
        }

        var submittedAt: [UInt64: (time: UInt64, thread: String)] = [:]
        var labels: [UInt64: String] = [:]
        var startedAt: [UInt64: (time: UInt64, worker: String)] = [:]
        for event in events {
            var thread = event.thread ?? "?"
            if case .started(_, let worker) = event.payload, event.thread == nil { thread = worker }
            switch event.payload {
            case .submitted(let future, _, let label):
                submittedAt[future] = (event.nanoseconds, thread)
                if let label { labels[future] = label }
            case .started(let future, let worker):
                startedAt[future] = (event.nanoseconds, worker)
                if let submit = submittedAt[future] {
                    output.flow(id: future, from: submit.thread, at: submit.time, to: worker, at: event.nanoseconds)
                }
            case .returned(let future, let result, _):
                guard let start = startedAt.removeValue(forKey: future) else { continue }
                output.slice(name: labels[future] ?? "future \(future)", category: "task", thread: start.worker,
                             from: start.time, to: event.nanoseconds, args: [("future", String(future)), ("result", result)])
            case .raised(let future, let exception, _):
                guard let start = startedAt.removeValue(forKey: future) else { continue }
                output.slice(name: labels[future] ?? "future \(future)", category: "task,error", thread: start.worker,
                             from: start.time, to: event.nanoseconds, args: [("future", String(future)), ("exception", exception)])
            case .waitBegan, .waitEnded, .object, .executor, .schedule, .ended:
                continue  // drawn as the lane model's segments and marks above
            case .aborted(let signal):
                output.instant(name: "ABORTED by \(signal)", thread: thread, at: event.nanoseconds, global: true)
            case .log(_, let message), .note(let message):
                output.instant(name: message, thread: thread, at: event.nanoseconds, global: false)
            case .measurement(let name, let value):
                output.instant(name: "\(name) = \(value)", thread: thread, at: event.nanoseconds, global: true)
            case .question(let question):
                output.instant(name: "QUESTION \(question.text) — answer: \(question.answer)", thread: thread, at: event.nanoseconds, global: true)
            case .expectation(let text, let passed):
                output.instant(name: (passed ? "PASS " : "FAIL ") + text, thread: thread, at: event.nanoseconds, global: true)
            case .deadlock(let deadlock):
                let explained = model.deadlocks.first { $0.time == event.nanoseconds }?.explanation ?? []
                output.instant(name: "DEADLOCK: " + (explained.first ?? deadlock.cycle.joined(separator: " → ")),
                               thread: thread, at: event.nanoseconds, global: true)
            case .cancelled, .cancelNotified, .workerStarted, .workerExited, .shutdown, .broken, .gilTaken, .gilDropped, .lockAcquired, .lockReleased:
                output.instant(name: event.kind.rawValue + (event.future.map { " \($0)" } ?? ""),
                               thread: thread, at: event.nanoseconds, global: false)
            }
        }
        return output.json()
    }
}

/// Chrome trace events under construction. Each lane group is a process
/// (pid 1, 2, … in the lanes' order) and each thread a track with a tid and a
/// sort index in the lanes' order, so the same trace always exports the same
/// bytes and Perfetto lists lanes as every other view does.
private struct ChromeEvents {
    private var items: [String] = []
    /// Thread → (pid, tid), for every lane; a thread no lane has gets pid 1.
    private var ids: [String: (pid: Int, tid: Int)] = [:]
    private var named: Set<String> = []

    init(lanes: [LaneModel.Lane]) {
        var pid = 0
        var group: String?
        for (index, lane) in lanes.enumerated() {
            if lane.group != group { group = lane.group; pid += 1 }
            ids[lane.thread] = (pid, index + 1)
        }
    }

    mutating func processMetadata(pid: Int, name: String) {
        items.append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":\(pid),\"args\":{\"name\":\(TraceWriter.quoted(name))}}")
        items.append("{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":\(pid),\"args\":{\"sort_index\":\(pid)}}")
    }

    /// The thread's ids, naming its track on first use.
    mutating func tid(_ thread: String) -> (pid: Int, tid: Int) {
        let id = ids[thread] ?? {
            let made = (pid: 1, tid: ids.count + 1)
            ids[thread] = made
            return made
        }()
        if named.insert(thread).inserted {
            items.append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":\(id.pid),\"tid\":\(id.tid),\"args\":{\"name\":\(TraceWriter.quoted(thread))}}")
            items.append("{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":\(id.pid),\"tid\":\(id.tid),\"args\":{\"sort_index\":\(id.tid)}}")
        }
        return id
    }

    mutating func slice(name: String, category: String, thread: String, from start: UInt64, to end: UInt64, args: [(String, String)]) {
        let id = tid(thread)
        let argText = args.map { "\(TraceWriter.quoted($0.0)):\(TraceWriter.quoted($0.1))" }.joined(separator: ",")
        items.append("{\"name\":\(TraceWriter.quoted(name)),\"cat\":\"\(category)\",\"ph\":\"X\",\"ts\":\(micros(start)),\"dur\":\(micros(end &- start)),\"pid\":\(id.pid),\"tid\":\(id.tid),\"args\":{\(argText)}}")
    }

    mutating func flow(id: UInt64, from source: String, at start: UInt64, to target: String, at end: UInt64) {
        let source = tid(source)
        let target = tid(target)
        items.append("{\"name\":\"submit\",\"cat\":\"flow\",\"ph\":\"s\",\"id\":\(id),\"ts\":\(micros(start)),\"pid\":\(source.pid),\"tid\":\(source.tid)}")
        items.append("{\"name\":\"submit\",\"cat\":\"flow\",\"ph\":\"f\",\"bp\":\"e\",\"id\":\(id),\"ts\":\(micros(end)),\"pid\":\(target.pid),\"tid\":\(target.tid)}")
    }

    mutating func instant(name: String, thread: String, at time: UInt64, global: Bool) {
        let id = tid(thread)
        items.append("{\"name\":\(TraceWriter.quoted(name)),\"ph\":\"i\",\"s\":\"\(global ? "g" : "t")\",\"ts\":\(micros(time)),\"pid\":\(id.pid),\"tid\":\(id.tid)}")
    }

    func json() -> String {
        "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n" + items.joined(separator: ",\n") + "\n]}\n"
    }

    /// Microseconds, exact to the nanosecond: "1500000.000".
    private func micros(_ nanoseconds: UInt64) -> String {
        let fraction = String(nanoseconds % 1000)
        return "\(nanoseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
