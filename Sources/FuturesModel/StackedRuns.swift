import FuturesTraceSchema

/// Several runs as one trace, to be shown stacked on one time axis and played
/// in lockstep by their clocks: each run's threads, executors, objects and
/// futures are renamed under the run's name (`with_map/MainThread`,
/// `with_map/ThreadPoolExecutor-0_1`), future ids are kept apart, log lines,
/// notes, questions and expectations say whose they are (`[with_map] …`),
/// and the events are merged in time order. Every view then draws the runs
/// as it draws one: each run's lanes under its name.
public enum StackedRuns {
    public struct Run: Sendable {
        public var name: String
        public var header: TraceHeader?
        public var events: [TraceEvent]

        public init(name: String, header: TraceHeader?, events: [TraceEvent]) {
            self.name = name
            self.header = header
            self.events = events
        }
    }

    public static func merge(_ runs: [Run]) -> (header: TraceHeader, events: [TraceEvent]) {
        let first = runs.first?.header
        var header = TraceHeader(program: runs.map { $0.header?.program ?? $0.name }.uniqued().joined(separator: " + "),
                                 runtime: first?.runtime ?? .deterministic, clock: first?.clock, seed: first?.seed,
                                 strategy: first?.strategy, cores: first?.cores)
        header.title = (runs.count > 1 ? "\(runs.map(\.name).joined(separator: " vs "))" : runs.first?.name ?? "")
            + (first?.title.map { " — " + $0 } ?? "")
        header.description = first?.description
        var merged: [(time: UInt64, run: Int, seq: Int, event: TraceEvent)] = []
        var offset: UInt64 = 0
        for (index, run) in runs.enumerated() {
            let renamer = Renamer(prefix: run.name, futureOffset: offset)
            for event in run.events {
                merged.append((event.nanoseconds, index, event.seq, renamer.rename(event)))
            }
            offset += run.events.compactMap(\.future).max() ?? 0
        }
        merged.sort { ($0.time, $0.run, $0.seq) < ($1.time, $1.run, $1.seq) }
        let events = merged.enumerated().map { index, item in
            var event = item.event
            event.seq = index + 1
            return event
        }
        return (header, events)
    }

    /// The renaming of one run's events.
    struct Renamer {
        let prefix: String
        let futureOffset: UInt64

        func name(_ name: String) -> String { prefix + "/" + name }
        func future(_ id: UInt64) -> UInt64 { id + futureOffset }
        func text(_ text: String) -> String { "[\(prefix)] " + text }

        func rename(_ event: TraceEvent) -> TraceEvent {
            let payload: TraceEvent.Payload = switch event.payload {
            case .submitted(let id, let executor, let label): .submitted(future: future(id), executor: name(executor), label: label)
            case .started(let id, let worker): .started(future: future(id), worker: name(worker))
            case .returned(let id, let result, let type): .returned(future: future(id), result: result, type: type)
            case .raised(let id, let exception, let type): .raised(future: future(id), exception: exception, type: type)
            case .cancelled(let id): .cancelled(future: future(id))
            case .cancelNotified(let id): .cancelNotified(future: future(id))
            case .workerStarted(let worker, let executor): .workerStarted(worker: name(worker), executor: name(executor))
            case .workerExited(let worker, let executor): .workerExited(worker: name(worker), executor: name(executor))
            case .shutdown(let executor, let wait, let cancel): .shutdown(executor: name(executor), wait: wait, cancelFutures: cancel)
            case .broken(let executor, let reason): .broken(executor: name(executor), reason: reason)
            case .waitBegan(let wait): .waitBegan(rename(wait))
            case .waitEnded(let wait, let timedOut): .waitEnded(rename(wait), timedOut: timedOut)
            case .deadlock(var deadlock):
                {
                    deadlock.cycle = deadlock.cycle.map(name)
                    deadlock.blocked = deadlock.blocked.map { .init(thread: name($0.thread), waitsFor: $0.waitsFor) }
                    deadlock.message = text(deadlock.message)
                    return .deadlock(deadlock)
                }()
            case .log(let level, let message): .log(level: level, message: text(message))
            case .note(let note): .note(text(note))
            case .measurement(let measured, let value): .measurement(name: prefix + "." + measured, value: value)
            case .expectation(let expectation, let passed): .expectation(text: text(expectation), passed: passed)
            case .gilTaken(let process): .gilTaken(process: name(process))
            case .gilDropped(let process): .gilDropped(process: name(process))
            case .lockAcquired(let lock): .lockAcquired(name: name(lock))
            case .lockReleased(let lock): .lockReleased(name: name(lock))
            case .executor(var info):
                {
                    info.executor = name(info.executor)
                    info.name = name(info.name)
                    return .executor(info)
                }()
            case .object(var change):
                {
                    change.name = name(change.name)
                    return .object(change)
                }()
            case .schedule(let picks, let runnable): .schedule(picks: picks, runnable: runnable)
            case .ended: .ended
            case .aborted(let signal): .aborted(signal: signal)
            case .question(var question):
                {
                    question.text = text(question.text)
                    return .question(question)
                }()
            }
            return TraceEvent(seq: event.seq, nanoseconds: event.nanoseconds, thread: event.thread.map(name), payload)
        }

        func rename(_ wait: TraceEvent.Wait) -> TraceEvent.Wait {
            var wait = wait
            wait.future = wait.future.map(future)
            wait.futures = wait.futures?.map(future)
            wait.executor = wait.executor.map(name)
            wait.object = wait.object.map(name)
            return wait
        }
    }
}

private extension Array where Element == String {
    func uniqued() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
