/// An event line's fields by JSON key: the only place the typed payloads meet
/// the flat line format. The writer writes these in a fixed order; the reader
/// reads them and builds the payload its kind names, requiring the kind's
/// fields (`TraceEvent.Kind.fields`).
struct TraceLine {
    var seq: Int
    var nanoseconds: UInt64
    var kind: TraceEvent.Kind
    var thread: String?
    var future: UInt64?
    var futures: [UInt64]?
    var label: String?
    var worker: String?
    var executor: String?
    var result: String?
    var exception: String?
    var type: String?
    var waitsFor: String?
    var reason: String?
    var timedOut: Bool?
    var wait: Bool?
    var cancelFutures: Bool?
    var level: String?
    var message: String?
    var cycle: [String]?
    var blocked: [TraceEvent.BlockedWait]?
    var name: String?
    var value: Double?
    var passed: Bool?
    var executorKind: String?
    var maxWorkers: Int?
    var gil: Bool?
    var objectKind: String?
    var action: String?
    var limit: Int?
    /// An object's `value`, written as an integer (read back through `value`).
    var count: Int?
    var choices: [String]?
    var explain: String?
    var atStart: Bool?
    var picks: [Int]?
    var runnable: [Int]?

    init(seq: Int, nanoseconds: UInt64, kind: TraceEvent.Kind) {
        self.seq = seq
        self.nanoseconds = nanoseconds
        self.kind = kind
    }

    /// The line of an event.
    init(_ event: TraceEvent) {
        self.init(seq: event.seq, nanoseconds: event.nanoseconds, kind: event.kind)
        thread = event.thread
        switch event.payload {
        case .submitted(let id, let executor, let label):
            (future, self.executor, self.label) = (id, executor, label)
        case .started(let id, let worker):
            (future, self.worker) = (id, worker)
        case .returned(let id, let result, let type):
            (future, self.result, self.type) = (id, result, type)
        case .raised(let id, let exception, let type):
            (future, self.exception, self.type) = (id, exception, type)
        case .cancelled(let id), .cancelNotified(let id):
            future = id
        case .workerStarted(let worker, let executor), .workerExited(let worker, let executor):
            (self.worker, self.executor) = (worker, executor)
        case .shutdown(let executor, let wait, let cancelFutures):
            (self.executor, self.wait, self.cancelFutures) = (executor, wait, cancelFutures)
        case .broken(let executor, let reason):
            (self.executor, self.reason) = (executor, reason)
        case .waitBegan(let wait):
            setWait(wait)
        case .waitEnded(let wait, let timedOut):
            setWait(wait)
            self.timedOut = timedOut
        case .deadlock(let deadlock):
            (message, reason, cycle, blocked) = (deadlock.message, deadlock.kind.rawValue, deadlock.cycle, deadlock.blocked)
        case .log(let level, let message):
            (self.level, self.message) = (level, message)
        case .note(let text):
            message = text
        case .measurement(let name, let value):
            (self.name, self.value) = (name, value)
        case .expectation(let text, let passed):
            (message, self.passed) = (text, passed)
        case .gilTaken(let process), .gilDropped(let process):
            executor = process
        case .lockAcquired(let name), .lockReleased(let name):
            label = name
        case .executor(let info):
            (executor, name, executorKind, maxWorkers, gil) = (info.executor, info.name, info.kind, info.maxWorkers, info.gil)
        case .object(let change):
            (label, objectKind, action, limit) = (change.name, change.kind, change.action, change.limit)
            count = change.value
        case .schedule(let picks, let runnable):
            (self.picks, self.runnable) = (picks, runnable)
        case .ended:
            break
        case .aborted(let signal):
            reason = signal
        case .question(let question):
            (message, result, explain) = (question.text, question.answer, question.explain)
            choices = question.choices.isEmpty ? nil : question.choices
            atStart = question.atStart ? true : nil
        }
    }

    private mutating func setWait(_ wait: TraceEvent.Wait) {
        waitsFor = wait.waitsFor
        reason = wait.kind.rawValue
        future = wait.future
        futures = wait.futures
        executor = wait.executor
        label = wait.object
    }

    /// The event, once the kind's required fields are known to be present.
    func event() throws(TraceLineProblem) -> TraceEvent {
        func need<T>(_ value: T?, _ key: String) throws(TraceLineProblem) -> T {
            guard let value else { throw TraceLineProblem("a '\(kind.rawValue)' event needs '\(key)'") }
            return value
        }
        func waitInfo() throws(TraceLineProblem) -> TraceEvent.Wait {
            let text = try need(reason, "reason")
            guard let waitKind = WaitKind(rawValue: text) else { throw TraceLineProblem("unknown wait reason '\(text)'") }
            return TraceEvent.Wait(kind: waitKind, waitsFor: try need(waitsFor, "waits_for"), future: future, futures: futures,
                                   executor: executor, object: label)
        }
        let payload: TraceEvent.Payload
        switch kind {
        case .submitted: payload = .submitted(future: try need(future, "future"), executor: try need(executor, "executor"), label: label)
        case .started: payload = .started(future: try need(future, "future"), worker: try need(worker, "worker"))
        case .returned: payload = .returned(future: try need(future, "future"), result: try need(result, "result"), type: type)
        case .raised: payload = .raised(future: try need(future, "future"), exception: try need(exception, "exception"), type: type)
        case .cancelled: payload = .cancelled(future: try need(future, "future"))
        case .cancelNotified: payload = .cancelNotified(future: try need(future, "future"))
        case .workerStarted: payload = .workerStarted(worker: try need(worker, "worker"), executor: try need(executor, "executor"))
        case .workerExited: payload = .workerExited(worker: try need(worker, "worker"), executor: try need(executor, "executor"))
        case .shutdown:
            payload = .shutdown(executor: try need(executor, "executor"), wait: try need(wait, "wait"),
                                cancelFutures: try need(cancelFutures, "cancel_futures"))
        case .broken: payload = .broken(executor: try need(executor, "executor"), reason: try need(reason, "reason"))
        case .waitBegan:
            _ = try need(thread, "thread")
            payload = .waitBegan(try waitInfo())
        case .waitEnded:
            _ = try need(thread, "thread")
            let info = try waitInfo()
            payload = .waitEnded(info, timedOut: try need(timedOut, "timed_out"))
        case .deadlock:
            let message = try need(message, "message"), text = try need(reason, "reason")
            guard let deadlockKind = DeadlockReport.Kind(rawValue: text) else { throw TraceLineProblem("unknown deadlock kind '\(text)'") }
            payload = .deadlock(.init(kind: deadlockKind, message: message, cycle: try need(cycle, "cycle"), blocked: try need(blocked, "blocked")))
        case .log: payload = .log(level: try need(level, "level"), message: try need(message, "message"))
        case .note: payload = .note(try need(message, "message"))
        case .measurement: payload = .measurement(name: try need(name, "name"), value: try need(value, "value"))
        case .expectation: payload = .expectation(text: try need(message, "message"), passed: try need(passed, "passed"))
        case .gilTaken, .gilDropped:
            _ = try need(thread, "thread")
            let process = try need(executor, "executor")
            payload = kind == .gilTaken ? .gilTaken(process: process) : .gilDropped(process: process)
        case .lockAcquired, .lockReleased:
            _ = try need(thread, "thread")
            let name = try need(label, "label")
            payload = kind == .lockAcquired ? .lockAcquired(name: name) : .lockReleased(name: name)
        case .executor:
            payload = .executor(.init(executor: try need(executor, "executor"), name: try need(name, "name"),
                                      kind: try need(executorKind, "executor_kind"), maxWorkers: try need(maxWorkers, "max_workers"),
                                      gil: try need(gil, "gil")))
        case .object:
            var count = self.count
            if let value {
                guard let exact = Int(exactly: value) else { throw TraceLineProblem("an 'object' event's 'value' must be an integer") }
                count = exact
            }
            payload = .object(.init(name: try need(label, "label"), kind: try need(objectKind, "object_kind"),
                                    action: try need(action, "action"), value: count, limit: limit))
        case .schedule:
            let picks = try need(picks, "picks"), runnable = try need(runnable, "runnable")
            guard picks.count == runnable.count, zip(picks, runnable).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
                throw TraceLineProblem("a 'schedule' event needs as many 'picks' as 'runnable' counts, each pick below its count")
            }
            payload = .schedule(picks: picks, runnable: runnable)
        case .ended:
            payload = .ended
        case .aborted:
            payload = .aborted(signal: try need(reason, "reason"))
        case .question:
            payload = .question(.init(text: try need(message, "message"), choices: choices ?? [], answer: try need(result, "result"),
                                      explain: explain, atStart: atStart ?? false))
        }
        return TraceEvent(seq: seq, nanoseconds: nanoseconds, thread: thread, payload)
    }
}

/// A line that does not make an event, in words.
struct TraceLineProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
