import FuturesModel
import FuturesTraceSchema

/// The `--json` summary of a run (docs/summary-format.md): one object, keys
/// in a fixed order, built from the model alone.
public enum SummaryJSON {
    public static func render(_ model: RunModel) -> String {
        let header = model.header
        var root = JSON.Object()
        root.add("scenario", .string(header?.program ?? ""))
        root.add("title", header?.title.map { JSON.string($0) } ?? .null)
        root.add("runtime", .string(header?.runtime.rawValue ?? ""))
        root.add("seed", header?.seed.map { .number(String($0)) } ?? .null)
        root.add("elapsed", .number(TraceWriter.seconds(model.endTime)))
        root.add("futures", .array(model.futures.map { row in
            var item = JSON.Object()
            item.add("id", .number(String(row.id)))
            item.add("label", .string(row.label))
            item.add("state", .string(row.state.rawValue))
            item.add("worker", row.worker.map { JSON.string($0) } ?? .null)
            item.add("submitted", time(row.submitted))
            item.add("started", time(row.started))
            item.add("finished", time(row.finished))
            item.add("result", row.state == .finished ? row.result.map { JSON.string($0) } ?? .null : .null)
            item.add("exception", row.state == .raised ? .string(RunModel.errorLine(type: row.type, exception: row.exception)) : .null)
            return .object(item)
        }))
        root.add("log", .array(model.log.filter { $0.level != "note" }.map { line in
            var item = JSON.Object()
            item.add("t", .number(TraceWriter.seconds(line.time)))
            item.add("message", .string(line.message))
            return .object(item)
        }))
        if let deadlock = model.deadlocks.first {
            var item = JSON.Object()
            item.add("t", .number(TraceWriter.seconds(deadlock.time)))
            item.add("reason", .string(deadlock.kind.rawValue))
            item.add("cycle", .array(deadlock.cycle.map { JSON.string($0) }))
            item.add("explanation", .array(deadlock.explanation.map { JSON.string($0) }))
            item.add("blocked", .array(deadlock.blocked.map { blocked in
                var entry = JSON.Object()
                entry.add("thread", .string(blocked.thread))
                entry.add("waits_for", .string(blocked.waitsFor))
                return .object(entry)
            }))
            item.add("released", .array(deadlock.released.map { JSON.string($0) }))
            item.add("released_at", deadlock.releasedAt.map { .number(TraceWriter.seconds($0)) } ?? .null)
            root.add("deadlock", .object(item))
        } else {
            root.add("deadlock", .null)
        }
        root.add("questions", .array(model.questions.map { time, question in
            var item = JSON.Object()
            item.add("t", .number(TraceWriter.seconds(time)))
            item.add("question", .string(question.text))
            item.add("choices", .array(question.choices.map { JSON.string($0) }))
            item.add("answer", .string(question.answer))
            item.add("right_choice", question.rightChoice.map { .number(String($0)) } ?? .null)
            item.add("explain", question.explain.map { JSON.string($0) } ?? .null)
            return .object(item)
        }))
        root.add("executors", executors(model))
        root.add("lanes", lanes(model))
        root.add("objects", objects(model))
        var measurements = JSON.Object()
        for (name, value) in model.measurements { measurements.add(name, .number(value.isFinite ? "\(value)" : "null")) }
        root.add("measurements", .object(measurements))
        root.add("expectations", expectations(model.expectations))
        return JSON.object(root).text(indent: 0) + "\n"
    }

    /// `[{"text", "passed"}]`.
    static func expectations(_ expectations: [(text: String, passed: Bool)]) -> JSON {
        .array(expectations.map { expectation in
            var item = JSON.Object()
            item.add("text", .string(expectation.text))
            item.add("passed", .bool(expectation.passed))
            return .object(item)
        })
    }

    /// `{name, kind, max_workers, gil, threads}` per executor the scenario declared.
    static func executors(_ model: RunModel) -> JSON {
        .array(model.laneModel.executors.map { info in
            var item = JSON.Object()
            item.add("name", .string(info.name))
            item.add("python_name", .string(info.executor))
            item.add("kind", .string(info.kind))
            item.add("max_workers", .number(String(info.maxWorkers)))
            item.add("gil", .bool(info.gil))
            item.add("threads", .array(model.lanes.filter { $0.group == info.name }.map { JSON.string($0.thread) }))
            return .object(item)
        })
    }

    /// The lane model: per thread its group and segments `{start, end, kind, future?, object?}`.
    static func lanes(_ model: RunModel) -> JSON {
        .array(model.lanes.map { lane in
            var item = JSON.Object()
            item.add("thread", .string(lane.thread))
            item.add("group", .string(lane.group))
            item.add("segments", .array(lane.segments.map { segment in
                var entry = JSON.Object()
                entry.add("start", .number(TraceWriter.seconds(segment.start)))
                entry.add("end", .number(TraceWriter.seconds(segment.end ?? model.endTime)))
                entry.add("kind", .string(segment.kind.rawValue))
                if let future = segment.future { entry.add("future", .number(String(future))) }
                if let object = segment.object { entry.add("object", .string(object)) }
                if let task = segment.task, task != segment.future { entry.add("task", .number(String(task))) }
                return .object(entry)
            }))
            item.add("marks", .array(lane.marks.map { mark in
                var entry = JSON.Object()
                entry.add("t", .number(TraceWriter.seconds(mark.time)))
                entry.add("kind", .string(mark.kind.rawValue))
                entry.add("object", .string(mark.object))
                return .object(entry)
            }))
            return .object(item)
        })
    }

    /// The named objects as the run left them, with each queue's depth samples.
    static func objects(_ model: RunModel) -> JSON {
        .array(model.objects.objects.map { object in
            var item = JSON.Object()
            item.add("name", .string(object.name))
            item.add("kind", .string(object.kind))
            item.add("holder", object.holder.map { JSON.string($0) } ?? .null)
            if let count = object.holdCount { item.add("hold_count", .number(String(count))) }
            item.add("value", object.value.map { .number(String($0)) } ?? .null)
            item.add("limit", object.limit.map { .number(String($0)) } ?? .null)
            if let readable = object.readable { item.add("readable", .bool(readable)) }
            item.add("waiters", .array(object.waiters.map { waiter in
                JSON.string(waiter.side.map { "\(waiter.thread) (\($0))" } ?? waiter.thread)
            }))
            if object.isQueue {
                item.add("max_depth", .number(String(object.maxDepth)))
                item.add("depth", .array(object.depth.map { sample in
                    .array([.number(TraceWriter.seconds(sample.time)), .number(String(sample.depth))])
                }))
            }
            item.add("changes", .number(String(object.history.count)))
            return .object(item)
        })
    }

    static func time(_ nanoseconds: UInt64?) -> JSON {
        nanoseconds.map { .number(TraceWriter.seconds($0)) } ?? .null
    }
}

/// JSON with keys in insertion order, pretty-printed two spaces deep.
enum JSON {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSON])
    case object(Object)

    struct Object {
        var entries: [(String, JSON)] = []
        mutating func add(_ key: String, _ value: JSON) { entries.append((key, value)) }
    }

    func text(indent: Int) -> String {
        let inner = String(repeating: "  ", count: indent + 1)
        let outer = String(repeating: "  ", count: indent)
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let digits): return digits
        case .string(let text): return TraceWriter.quoted(text)
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.text(indent: indent + 1) }.joined(separator: ",\n") + "\n\(outer)]"
        case .object(let object):
            if object.entries.isEmpty { return "{}" }
            return "{\n" + object.entries.map { inner + TraceWriter.quoted($0.0) + ": " + $0.1.text(indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(outer)}"
        }
    }
}
