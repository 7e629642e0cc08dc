import FuturesTraceSchema

/// Turns a trace into Chrome Trace Event JSON, which Perfetto
/// (ui.perfetto.dev) and chrome://tracing open: one track per thread (workers
/// and the main program), a slice per task on the worker that ran it, a flow
/// arrow from each submit to the task's start, wait slices for blocking calls,
/// and instants for log lines and deadlocks.
///
/// A function of the events alone, like every view of a trace.
public enum ChromeTraceExporter {
    public static func export(header: TraceHeader, events: [TraceEvent]) -> String {
        var output = ChromeEvents()
        output.metadata(name: "process_name", tid: nil, value: "\(header.program) (\(header.runtime), \(header.clock) clock)")

        var submittedAt: [UInt64: (time: UInt64, thread: String)] = [:]
        var labels: [UInt64: String] = [:]
        var startedAt: [UInt64: (time: UInt64, worker: String)] = [:]
        var waitsBegun: [String: (time: UInt64, waitsFor: String)] = [:]
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
            case .waitBegan(let wait):
                waitsBegun[thread] = (event.nanoseconds, wait.waitsFor)
            case .waitEnded:
                guard let begun = waitsBegun.removeValue(forKey: thread) else { continue }
                output.slice(name: "wait: " + begun.waitsFor, category: "wait", thread: thread,
                             from: begun.time, to: event.nanoseconds, args: [])
            case .log(_, let message), .note(let message):
                output.instant(name: message, thread: thread, at: event.nanoseconds, global: false)
            case .measurement(let name, let value):
                output.instant(name: "\(name) = \(value)", thread: thread, at: event.nanoseconds, global: true)
            case .expectation(let text, let passed):
                output.instant(name: (passed ? "PASS " : "FAIL ") + text, thread: thread, at: event.nanoseconds, global: true)
            case .deadlock(let deadlock):
                output.instant(name: "DEADLOCK: " + deadlock.cycle.joined(separator: " → "),
                               thread: thread, at: event.nanoseconds, global: true)
            case .cancelled, .cancelNotified, .workerStarted, .workerExited, .shutdown, .broken, .gilTaken, .gilDropped, .lockAcquired, .lockReleased:
                output.instant(name: event.kind.rawValue + (event.future.map { " \($0)" } ?? ""),
                               thread: thread, at: event.nanoseconds, global: false)
            }
        }
        return output.json()
    }
}

/// Chrome trace events under construction; threads get tids in order of
/// first appearance, so the same trace always exports the same bytes.
private struct ChromeEvents {
    private var items: [String] = []
    private var tids: [String: Int] = [:]

    mutating func tid(_ thread: String) -> Int {
        if let tid = tids[thread] { return tid }
        let tid = tids.count + 1
        tids[thread] = tid
        metadata(name: "thread_name", tid: tid, value: thread)
        return tid
    }

    mutating func metadata(name: String, tid: Int?, value: String) {
        let tidPart = tid.map { ",\"tid\":\($0)" } ?? ""
        items.append("{\"name\":\"\(name)\",\"ph\":\"M\",\"pid\":1\(tidPart),\"args\":{\"name\":\(TraceWriter.quoted(value))}}")
    }

    mutating func slice(name: String, category: String, thread: String, from start: UInt64, to end: UInt64, args: [(String, String)]) {
        let tid = tid(thread)
        let argText = args.map { "\(TraceWriter.quoted($0.0)):\(TraceWriter.quoted($0.1))" }.joined(separator: ",")
        items.append("{\"name\":\(TraceWriter.quoted(name)),\"cat\":\"\(category)\",\"ph\":\"X\",\"ts\":\(micros(start)),\"dur\":\(micros(end &- start)),\"pid\":1,\"tid\":\(tid),\"args\":{\(argText)}}")
    }

    mutating func flow(id: UInt64, from source: String, at start: UInt64, to target: String, at end: UInt64) {
        let sourceTid = tid(source)
        let targetTid = tid(target)
        items.append("{\"name\":\"submit\",\"cat\":\"flow\",\"ph\":\"s\",\"id\":\(id),\"ts\":\(micros(start)),\"pid\":1,\"tid\":\(sourceTid)}")
        items.append("{\"name\":\"submit\",\"cat\":\"flow\",\"ph\":\"f\",\"bp\":\"e\",\"id\":\(id),\"ts\":\(micros(end)),\"pid\":1,\"tid\":\(targetTid)}")
    }

    mutating func instant(name: String, thread: String, at time: UInt64, global: Bool) {
        let tid = tid(thread)
        items.append("{\"name\":\(TraceWriter.quoted(name)),\"ph\":\"i\",\"s\":\"\(global ? "g" : "t")\",\"ts\":\(micros(time)),\"pid\":1,\"tid\":\(tid)}")
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
