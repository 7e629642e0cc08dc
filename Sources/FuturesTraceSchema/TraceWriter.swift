/// Writes trace lines as JSON, with the keys always in the same order and the
/// time as exact decimal nanoseconds, so the same run gives the same bytes.
///
/// Hand-written rather than `JSONEncoder`: its key order and number formatting
/// are not promised, and byte-identical traces are the point.
public enum TraceWriter {
    /// The header line (no newline).
    public static func line(_ header: TraceHeader) -> String {
        var object = JSONObject()
        object.add("format", header.format)
        object.add("version", header.version)
        object.add("program", header.program)
        object.add("runtime", header.runtime.rawValue)
        object.add("clock", header.clock.rawValue)
        object.add("seed", header.seed)
        object.add("strategy", header.strategy?.rawValue)
        object.add("cores", header.cores)
        object.add("title", header.title)
        object.add("description", header.description)
        if !header.params.isEmpty {
            // By name, as readers give them back (a JSON object has no order).
            let sorted = header.params.sorted { $0.name < $1.name }
            object.addRaw("params", "{" + sorted.map { quoted($0.name) + ":" + $0.json }.joined(separator: ",") + "}")
        }
        return object.text
    }

    /// One event line (no newline).
    public static func line(_ event: TraceEvent) -> String {
        let event = TraceLine(event)
        var object = JSONObject()
        object.add("seq", event.seq)
        object.addRaw("t", seconds(event.nanoseconds))
        object.add("kind", event.kind.rawValue)
        object.add("thread", event.thread)
        object.add("future", event.future)
        if let futures = event.futures { object.addRaw("futures", "[" + futures.map(String.init).joined(separator: ",") + "]") }
        object.add("label", event.label)
        object.add("worker", event.worker)
        object.add("executor", event.executor)
        object.add("result", event.result)
        object.add("exception", event.exception)
        object.add("type", event.type)
        object.add("waits_for", event.waitsFor)
        object.add("reason", event.reason)
        object.add("timed_out", event.timedOut)
        object.add("wait", event.wait)
        object.add("cancel_futures", event.cancelFutures)
        object.add("level", event.level)
        object.add("message", event.message)
        if let cycle = event.cycle { object.addRaw("cycle", "[" + cycle.map(quoted).joined(separator: ",") + "]") }
        if let blocked = event.blocked {
            let items = blocked.map { "{\"thread\":\(quoted($0.thread)),\"waits_for\":\(quoted($0.waitsFor))}" }
            object.addRaw("blocked", "[" + items.joined(separator: ",") + "]")
        }
        object.add("name", event.name)
        object.add("value", event.value)
        object.add("value", event.count)
        object.add("passed", event.passed)
        object.add("executor_kind", event.executorKind)
        object.add("max_workers", event.maxWorkers)
        object.add("gil", event.gil)
        object.add("object_kind", event.objectKind)
        object.add("action", event.action)
        object.add("limit", event.limit)
        if let choices = event.choices { object.addRaw("choices", "[" + choices.map(quoted).joined(separator: ",") + "]") }
        object.add("explain", event.explain)
        object.add("at_start", event.atStart)
        if let picks = event.picks { object.addRaw("picks", "[" + picks.map(String.init).joined(separator: ",") + "]") }
        if let runnable = event.runnable { object.addRaw("runnable", "[" + runnable.map(String.init).joined(separator: ",") + "]") }
        return object.text
    }

    /// A whole file: the header, then one line per event, each ending in "\n".
    public static func file(header: TraceHeader, events: [TraceEvent]) -> String {
        var text = line(header) + "\n"
        for event in events { text += line(event) + "\n" }
        return text
    }

    /// Exact seconds from nanoseconds: "1.500000000".
    public static func seconds(_ nanoseconds: UInt64) -> String {
        let fraction = String(nanoseconds % 1_000_000_000)
        return "\(nanoseconds / 1_000_000_000)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }

    /// A JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Builds one JSON object, skipping absent values.
struct JSONObject {
    private var parts: [String] = []

    var text: String { "{" + parts.joined(separator: ",") + "}" }

    mutating func addRaw(_ key: String, _ json: String) {
        parts.append("\"\(key)\":\(json)")
    }

    mutating func add(_ key: String, _ value: String?) {
        if let value { addRaw(key, TraceWriter.quoted(value)) }
    }

    mutating func add(_ key: String, _ value: Int?) {
        if let value { addRaw(key, String(value)) }
    }

    mutating func add(_ key: String, _ value: UInt64?) {
        if let value { addRaw(key, String(value)) }
    }

    mutating func add(_ key: String, _ value: Double?) {
        if let value { addRaw(key, value.isFinite ? "\(value)" : "null") }
    }

    mutating func add(_ key: String, _ value: Bool?) {
        if let value { addRaw(key, value ? "true" : "false") }
    }
}
