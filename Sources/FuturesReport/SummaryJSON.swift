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
            item.add("exception", row.state == .raised ? .string("\(row.type ?? "Error"): \(row.exception ?? "")") : .null)
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
            item.add("blocked", .array(deadlock.blocked.map { blocked in
                var entry = JSON.Object()
                entry.add("thread", .string(blocked.thread))
                entry.add("waits_for", .string(blocked.waitsFor))
                return .object(entry)
            }))
            root.add("deadlock", .object(item))
        } else {
            root.add("deadlock", .null)
        }
        var measurements = JSON.Object()
        for (name, value) in model.measurements { measurements.add(name, .number(value.isFinite ? "\(value)" : "null")) }
        root.add("measurements", .object(measurements))
        root.add("expectations", .array(model.expectations.map { expectation in
            var item = JSON.Object()
            item.add("text", .string(expectation.text))
            item.add("passed", .bool(expectation.passed))
            return .object(item)
        }))
        return JSON.object(root).text(indent: 0) + "\n"
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
