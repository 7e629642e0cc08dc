import Foundation

/// What is wrong with a trace file, and where: "run.jsonl:17: 'seq' must be 17".
public struct TraceReadError: Error, Equatable, CustomStringConvertible {
    public let source: String
    public let line: Int
    public let message: String

    public init(source: String, line: Int, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String { "\(source):\(line): \(message)" }
}

/// A trace read back: its header, the events that were valid, and the first
/// problem, if any (the events are those before it).
public struct ReadTrace: Sendable {
    public var header: TraceHeader?
    public var events: [TraceEvent]
    public var error: TraceReadError?

    public init(header: TraceHeader? = nil, events: [TraceEvent] = [], error: TraceReadError? = nil) {
        self.header = header
        self.events = events
        self.error = error
    }
}

/// Reads and validates trace files (see docs/trace-format.md). Reading stops at
/// the first bad line — corrupt JSON, a truncated last line, a missing or
/// mistyped field, a sequence number out of order, time going backwards — and
/// names it; everything before it is still returned.
public enum TraceReader {
    /// The longest line a trace may have: far above any event's (a thread
    /// name of 2 MB is refused by this, not by chance).
    public static let maximumLineBytes = 1 << 20

    public static func read(contentsOf path: String) -> ReadTrace {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ReadTrace(header: nil, events: [], error: TraceReadError(source: path, line: 0, message: "cannot read the file"))
        }
        if let text = String(data: data, encoding: .utf8) { return read(text, source: path) }
        // Not UTF-8 somewhere: read line by line, and name the first bad line
        // (the report keeps every line before it).
        var result = ReadTrace()
        var number = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            guard let text = String(data: Data(line), encoding: .utf8) else {
                result.error = TraceReadError(source: path, line: number + 1, message: "the line is not UTF-8 text")
                return result
            }
            if line.isEmpty, number > 0 { continue }
            append(line: Substring(text), to: &result, number: &number, source: path)
            if result.error != nil { return result }
        }
        return result
    }

    public static func read(_ text: String, source: String) -> ReadTrace {
        var result = ReadTrace(header: nil, events: [], error: nil)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { lines.removeLast() }
        guard !text.isEmpty, !lines.isEmpty else {
            result.error = TraceReadError(source: source, line: 1, message: "empty file: expected a futureslab-trace header")
            return result
        }
        var number = 0
        for (offset, rawLine) in lines.enumerated() {
            let isLast = offset == lines.count - 1
            if isLast && !endsWithNewline && parseObject(rawLine) == nil {
                result.error = TraceReadError(source: source, line: offset + 1, message: "truncated: the last line is incomplete JSON")
                return result
            }
            append(line: rawLine, to: &result, number: &number, source: source)
            if result.error != nil { return result }
        }
        return result
    }

    /// Reads one more whole line of a trace (the first is its header) into
    /// `result` — how `attach` reads a trace as it is written, line by line,
    /// never the whole file again. A bad line sets `result.error` (with its
    /// number) and adds nothing.
    public static func append(line rawLine: Substring, to result: inout ReadTrace, number: inout Int, source: String) {
        guard result.error == nil else { return }
        number += 1
        let lineNumber = number
        func fail(_ message: String) {
            result.error = TraceReadError(source: source, line: lineNumber, message: message)
        }
        guard rawLine.utf8.count <= maximumLineBytes else {
            return fail("the line is \(rawLine.utf8.count) bytes, over the limit of \(maximumLineBytes) (1 MiB) a trace line may have")
        }
        guard let object = parseObject(rawLine) else { return fail("not a JSON object") }
        do {
            if lineNumber == 1 {
                result.header = try header(from: object)
            } else {
                let event = try self.event(from: object)
                try check(event, after: result.events.last)
                result.events.append(event)
            }
        } catch let problem as Problem {
            fail(problem.message)
        } catch {
            fail("\(error)")
        }
    }

    // MARK: - Lines

    struct Problem: Error {
        let message: String
    }

    private static func parseObject(_ line: Substring) -> [String: Any]? {
        guard let data = line.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data, options: [])) as? [String: Any]
    }

    private static func header(from object: [String: Any]) throws -> TraceHeader {
        let fields = Fields(object)
        let format = try fields.requiredString("format")
        guard format == TraceHeader.formatName else {
            throw Problem(message: "not a \(TraceHeader.formatName) file (format is '\(format)')")
        }
        let version = try fields.requiredInt("version")
        guard TraceHeader.readableVersions.contains(version) else {
            throw Problem(message: "unsupported version \(version) (this reader knows versions \(TraceHeader.readableVersions.lowerBound)–\(TraceHeader.readableVersions.upperBound))")
        }
        let runtimeName = try fields.requiredString("runtime"), clockName = try fields.requiredString("clock")
        guard let runtime = RuntimeKind(rawValue: runtimeName) else {
            throw Problem(message: "unknown runtime '\(runtimeName)' (native or deterministic)")
        }
        guard let clock = ClockKind(rawValue: clockName) else { throw Problem(message: "unknown clock '\(clockName)' (wall or virtual)") }
        var header = TraceHeader(program: try fields.requiredString("program"), runtime: runtime, clock: clock)
        header.version = version
        header.seed = try fields.optionalUInt64("seed")
        if let name = try fields.optionalString("strategy") {
            guard let strategy = SchedulingStrategy(rawValue: name) else { throw Problem(message: "unknown strategy '\(name)'") }
            header.strategy = strategy
        }
        header.cores = try fields.optionalInt("cores")
        header.title = try fields.optionalString("title")
        header.description = try fields.optionalString("description")
        header.params = try fields.optionalParams("params")
        return header
    }

    private static func event(from object: [String: Any]) throws -> TraceEvent {
        let fields = Fields(object)
        let seq = try fields.requiredInt("seq")
        let seconds = try fields.requiredNumber("t")
        guard seconds.isFinite else { throw Problem(message: "'t' must be a finite number of seconds") }
        guard seconds >= 0 else { throw Problem(message: "'t' must not be negative") }
        // A run's clock counts nanoseconds in 64 bits: about 584 years.
        guard seconds < 18_446_744_073 else {
            throw Problem(message: "'t' is \(seconds) s, beyond a run's clock (18,446,744,073 s, 2^64 nanoseconds)")
        }
        let kindName = try fields.requiredString("kind")
        guard let kind = TraceEvent.Kind(rawValue: kindName) else {
            throw Problem(message: "unknown kind '\(kindName)' (this reader knows the kinds of \(TraceHeader.formatName) version \(TraceHeader.readableVersions.upperBound))")
        }
        var event = TraceLine(seq: seq, nanoseconds: UInt64((seconds * 1e9).rounded()), kind: kind)
        event.thread = try fields.optionalString("thread")
        event.future = try fields.optionalUInt64("future")
        event.futures = try fields.optionalUInt64Array("futures")
        event.label = try fields.optionalString("label")
        event.worker = try fields.optionalString("worker")
        event.executor = try fields.optionalString("executor")
        event.result = try fields.optionalString("result")
        event.exception = try fields.optionalString("exception")
        event.type = try fields.optionalString("type")
        event.waitsFor = try fields.optionalString("waits_for")
        event.reason = try fields.optionalString("reason")
        event.timedOut = try fields.optionalBool("timed_out")
        event.wait = try fields.optionalBool("wait")
        event.cancelFutures = try fields.optionalBool("cancel_futures")
        event.level = try fields.optionalString("level")
        event.message = try fields.optionalString("message")
        event.cycle = try fields.optionalStringArray("cycle")
        event.blocked = try fields.optionalBlocked("blocked")
        event.name = try fields.optionalString("name")
        event.value = try fields.optionalNumber("value")
        event.passed = try fields.optionalBool("passed")
        event.executorKind = try fields.optionalString("executor_kind")
        event.maxWorkers = try fields.optionalInt("max_workers")
        event.gil = try fields.optionalBool("gil")
        event.objectKind = try fields.optionalString("object_kind")
        event.action = try fields.optionalString("action")
        event.limit = try fields.optionalInt("limit")
        event.choices = try fields.optionalStringArray("choices")
        event.explain = try fields.optionalString("explain")
        event.atStart = try fields.optionalBool("at_start")
        event.picks = try fields.optionalUInt64Array("picks").map { $0.map { Int($0) } }
        event.runnable = try fields.optionalUInt64Array("runnable").map { $0.map { Int($0) } }
        do { return try event.event() } catch { throw Problem(message: error.message) }
    }

    private static func check(_ event: TraceEvent, after previous: TraceEvent?) throws {
        let expected = (previous?.seq ?? 0) + 1
        guard event.seq == expected else {
            throw Problem(message: "'seq' is \(event.seq), expected \(expected)")
        }
        if let previous, event.nanoseconds < previous.nanoseconds {
            throw Problem(message: "'t' goes backwards (\(event.t) after \(previous.t))")
        }
    }
}

/// Typed access to one parsed line, with messages that name the field.
private struct Fields {
    let object: [String: Any]

    init(_ object: [String: Any]) {
        self.object = object
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw missing(key) }
        return value
    }

    func requiredInt(_ key: String) throws -> Int {
        guard let value = try optionalInt(key) else { throw missing(key) }
        return value
    }

    func requiredNumber(_ key: String) throws -> Double {
        guard let raw = object[key] else { throw missing(key) }
        guard let number = raw as? NSNumber, !isBool(number) else { throw wrong(key, "a number") }
        return number.doubleValue
    }

    func optionalNumber(_ key: String) throws -> Double? {
        guard object[key] != nil else { return nil }
        return try requiredNumber(key)
    }

    func optionalString(_ key: String) throws -> String? {
        guard let raw = object[key] else { return nil }
        guard let value = raw as? String else { throw wrong(key, "a string") }
        return value
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard let raw = object[key] else { return nil }
        guard let number = raw as? NSNumber, !isBool(number), let value = Int(exactly: number.doubleValue) else {
            throw wrong(key, "an integer")
        }
        return value
    }

    func optionalUInt64(_ key: String) throws -> UInt64? {
        guard let value = try optionalInt(key) else { return nil }
        guard value >= 0 else { throw wrong(key, "a non-negative integer") }
        return UInt64(value)
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let raw = object[key] else { return nil }
        guard let number = raw as? NSNumber, isBool(number) else { throw wrong(key, "true or false") }
        return number.boolValue
    }

    func optionalStringArray(_ key: String) throws -> [String]? {
        guard let raw = object[key] else { return nil }
        guard let values = raw as? [String] else { throw wrong(key, "an array of strings") }
        return values
    }

    func optionalUInt64Array(_ key: String) throws -> [UInt64]? {
        guard let raw = object[key] else { return nil }
        guard let values = raw as? [NSNumber], values.allSatisfy({ !isBool($0) && $0.int64Value >= 0 }) else {
            throw wrong(key, "an array of non-negative integers")
        }
        return values.map { UInt64($0.int64Value) }
    }

    /// `{"workers": 5, "lock": true}`, in the file's order (read back as JSON text).
    func optionalParams(_ key: String) throws -> [TraceHeader.Param] {
        guard let raw = object[key] else { return [] }
        guard let values = raw as? [String: Any] else { throw wrong(key, "an object of parameter values") }
        return try values.keys.sorted().map { name in
            let value = values[name]!
            let json: String
            switch value {
            case let number as NSNumber where isBool(number): json = number.boolValue ? "true" : "false"
            case let number as NSNumber: json = number.stringValue
            case let text as String: json = TraceWriter.quoted(text)
            default: throw wrong(key, "an object of numbers, booleans and strings")
            }
            return TraceHeader.Param(name: name, json: json)
        }
    }

    func optionalBlocked(_ key: String) throws -> [TraceEvent.BlockedWait]? {
        guard let raw = object[key] else { return nil }
        guard let items = raw as? [[String: Any]] else { throw wrong(key, "an array of objects") }
        return try items.map { item in
            guard let thread = item["thread"] as? String, let waitsFor = item["waits_for"] as? String else {
                throw wrong(key, "objects with 'thread' and 'waits_for'")
            }
            return TraceEvent.BlockedWait(thread: thread, waitsFor: waitsFor)
        }
    }

    /// JSON `true` / `false` (Foundation gives them as NSNumbers whose
    /// Objective-C type is "c"; integers read "i", "q", reals "d").
    private func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private func missing(_ key: String) -> TraceReader.Problem {
        TraceReader.Problem(message: "missing '\(key)'")
    }

    private func wrong(_ key: String, _ expected: String) -> TraceReader.Problem {
        TraceReader.Problem(message: "'\(key)' must be \(expected)")
    }
}
