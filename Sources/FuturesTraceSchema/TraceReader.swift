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
    /// The line reader's scratch space and shared strings, kept from one
    /// line to the next.
    var parsing = LineParsing()
    /// The second half of a trace read in two: its first event is checked
    /// when the halves are joined.
    var seamUnchecked = false

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
        return data.withUnsafeBytes { raw in read(bytes: raw.bindMemory(to: UInt8.self), source: path) }
    }

    public static func read(_ text: String, source: String) -> ReadTrace {
        var copy = text
        return copy.withUTF8 { read(bytes: $0, source: source) }
    }

    /// Reads a whole trace from its bytes, line by line (each line must be
    /// UTF-8 text; a line that is not is named, the lines before it kept).
    static func read(bytes: UnsafeBufferPointer<UInt8>, source: String) -> ReadTrace {
        guard !bytes.isEmpty else {
            return ReadTrace(error: TraceReadError(source: source, line: 1, message: "empty file: expected a futureslab-trace header"))
        }
        guard bytes.count >= parallelBytes, let split = memchr(bytes.baseAddress! + bytes.count / 2, Int32(UInt8(ascii: "\n")), bytes.count / 2) else {
            return readLines(bytes, source: source, linesBefore: 0)
        }
        // Two halves, one a core: the first ends with the newline nearest
        // the middle; the second's lines are numbered on from it and its
        // first event is checked against the first half's last at the seam.
        let cut = UnsafePointer(split.assumingMemoryBound(to: UInt8.self)) - bytes.baseAddress! + 1
        let first = UnsafeBufferPointer(rebasing: bytes[..<cut])
        let second = UnsafeBufferPointer(rebasing: bytes[cut...])
        let linesInFirst = newlines(in: first)
        let halves = UnsafeMutableBufferPointer<ReadTrace>.allocate(capacity: 2)
        halves.initialize(repeating: ReadTrace())
        defer {
            _ = halves.deinitialize()
            halves.deallocate()
        }
        let shared = SplitRead(first: first, second: second, halves: halves)
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            shared.halves[half] = half == 0
                ? readLines(shared.first, source: source, linesBefore: 0, lines: linesInFirst)
                : readLines(shared.second, source: source, linesBefore: linesInFirst)
        }
        var result = halves[0]
        let rest = halves[1]
        guard result.error == nil else { return result }
        if let next = rest.events.first {
            let last = result.events.last.map { (seq: $0.seq, nanoseconds: $0.nanoseconds) }
            do { try check(next, after: last) } catch {
                result.error = TraceReadError(source: source, line: linesInFirst + 1, message: (error as? Problem)?.message ?? "\(error)")
                return result
            }
        }
        result.events.append(contentsOf: rest.events)
        result.error = rest.error
        return result
    }

    /// A trace's two halves and their results, shared with the two threads
    /// that read them.
    // @unchecked: each thread reads only its half (the bytes do not change
    // while they read) and writes only its own slot of `halves`; the caller
    // reads the slots after `concurrentPerform` has returned, which is after
    // both threads are done.
    private struct SplitRead: @unchecked Sendable {
        let first: UnsafeBufferPointer<UInt8>
        let second: UnsafeBufferPointer<UInt8>
        let halves: UnsafeMutableBufferPointer<ReadTrace>
    }

    /// Traces at least this long are read by two threads.
    static let parallelBytes = 8 << 20

    private static func newlines(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard var cursor = bytes.baseAddress else { return 0 }
        let limit = cursor + bytes.count
        var count = 0
        while let found = memchr(cursor, Int32(UInt8(ascii: "\n")), limit - cursor) {
            count += 1
            cursor = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    /// Reads `bytes` line by line; the first is line `linesBefore + 1` (the
    /// header when that is 1). A second half's first event is not checked
    /// against an event before it: the caller does that at the seam.
    /// `lines`: the newlines in `bytes`, when the caller has counted them.
    static func readLines(_ bytes: UnsafeBufferPointer<UInt8>, source: String, linesBefore: Int, lines: Int? = nil) -> ReadTrace {
        var result = ReadTrace(header: nil, events: [], error: nil)
        result.seamUnchecked = linesBefore > 0
        let newline = UInt8(ascii: "\n")
        // Room for every line at once: growing by doubling copies a long
        // trace's events again and again.
        result.events.reserveCapacity(lines ?? newlines(in: bytes))
        let endsWithNewline = bytes.last == newline
        let end = endsWithNewline ? bytes.count - 1 : bytes.count
        var start = 0
        var number = linesBefore
        while start <= end {
            var stop = end
            if start < end, let found = memchr(bytes.baseAddress! + start, Int32(newline), end - start) {
                stop = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - bytes.baseAddress!
            }
            let line = UnsafeBufferPointer(rebasing: bytes[start..<stop])
            let isLast = stop >= end
            guard isUTF8(line) else {
                result.error = TraceReadError(source: source, line: number + 1, message: "the line is not UTF-8 text")
                return result
            }
            if isLast && !endsWithNewline && !result.parsing.parse(line) {
                result.error = TraceReadError(source: source, line: number + 1, message: "truncated: the last line is incomplete JSON")
                return result
            }
            append(bytes: line, to: &result, number: &number, source: source)
            if result.error != nil || isLast { return result }
            start = stop + 1
        }
        return result
    }

    /// Whether `bytes` are UTF-8 text (ASCII, the common case, checked first).
    private static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for byte in bytes { any |= byte }
        return any < 0x80 || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Reads one more whole line of a trace (the first is its header) into
    /// `result` — how `attach` reads a trace as it is written, line by line,
    /// never the whole file again. A bad line sets `result.error` (with its
    /// number) and adds nothing.
    public static func append(line rawLine: Substring, to result: inout ReadTrace, number: inout Int, source: String) {
        var line = rawLine
        line.withUTF8 { append(bytes: $0, to: &result, number: &number, source: source) }
    }

    static func append(bytes rawLine: UnsafeBufferPointer<UInt8>, to result: inout ReadTrace, number: inout Int, source: String) {
        guard result.error == nil else { return }
        number += 1
        if let message = problem(with: rawLine, lineNumber: number, in: &result) {
            result.error = TraceReadError(source: source, line: number, message: message)
        }
    }

    /// Reads one line into `result`; what is wrong with it, if anything.
    private static func problem(with rawLine: UnsafeBufferPointer<UInt8>, lineNumber: Int, in result: inout ReadTrace) -> String? {
        guard rawLine.count <= maximumLineBytes else {
            return "the line is \(rawLine.count) bytes, over the limit of \(maximumLineBytes) (1 MiB) a trace line may have"
        }
        guard result.parsing.parse(rawLine) else { return "not a JSON object" }
        let object = Fields(result.parsing.values, set: result.parsing.set)
        do {
            if lineNumber == 1 {
                result.header = try header(from: object)
            } else {
                let event = try self.event(from: object)
                if result.seamUnchecked && result.events.isEmpty {
                    // A second half's first event: checked at the seam.
                } else {
                    let last = result.events.indices.last
                    try check(event, after: last.map { (result.events[$0].seq, result.events[$0].nanoseconds) })
                }
                result.events.append(event)
            }
        } catch let problem as Problem {
            return problem.message
        } catch {
            return "\(error)"
        }
        return nil
    }

    // MARK: - Lines

    struct Problem: Error {
        let message: String
    }

    private static func header(from fields: Fields) throws -> TraceHeader {
        let format = try fields.requiredString(.format)
        guard format == TraceHeader.formatName else {
            throw Problem(message: "not a \(TraceHeader.formatName) file (format is '\(format)')")
        }
        let version = try fields.requiredInt(.version)
        guard TraceHeader.readableVersions.contains(version) else {
            throw Problem(message: "unsupported version \(version) (this reader knows versions \(TraceHeader.readableVersions.lowerBound)–\(TraceHeader.readableVersions.upperBound))")
        }
        let runtimeName = try fields.requiredString(.runtime), clockName = try fields.requiredString(.clock)
        guard let runtime = RuntimeKind(rawValue: runtimeName) else {
            throw Problem(message: "unknown runtime '\(runtimeName)' (native or deterministic)")
        }
        guard let clock = ClockKind(rawValue: clockName) else { throw Problem(message: "unknown clock '\(clockName)' (wall or virtual)") }
        var header = TraceHeader(program: try fields.requiredString(.program), runtime: runtime, clock: clock)
        header.version = version
        header.seed = try fields.optionalUInt64(.seed)
        if let name = try fields.optionalString(.strategy) {
            guard let strategy = SchedulingStrategy(rawValue: name) else { throw Problem(message: "unknown strategy '\(name)'") }
            header.strategy = strategy
        }
        header.cores = try fields.optionalInt(.cores)
        header.title = try fields.optionalString(.title)
        header.description = try fields.optionalString(.description)
        header.params = try fields.optionalParams(.params)
        return header
    }

    /// Kinds by name (a hash, not a string compare per case).
    private static let kinds = Dictionary(uniqueKeysWithValues: TraceEvent.Kind.allCases.map { ($0.rawValue, $0) })

    private static func event(from fields: Fields) throws -> TraceEvent {
        let seq = try fields.requiredInt(.seq)
        let seconds = try fields.requiredNumber(.t)
        guard seconds.isFinite else { throw Problem(message: "'t' must be a finite number of seconds") }
        guard seconds >= 0 else { throw Problem(message: "'t' must not be negative") }
        // A run's clock counts nanoseconds in 64 bits: about 584 years.
        guard seconds < 18_446_744_073 else {
            throw Problem(message: "'t' is \(seconds) s, beyond a run's clock (18,446,744,073 s, 2^64 nanoseconds)")
        }
        let kindName = try fields.requiredString(.kind)
        guard let kind = kinds[kindName] else {
            throw Problem(message: "unknown kind '\(kindName)' (this reader knows the kinds of \(TraceHeader.formatName) version \(TraceHeader.readableVersions.upperBound))")
        }
        let nanoseconds = UInt64((seconds * 1e9).rounded())
        if let quick = try quickEvent(seq: seq, nanoseconds: nanoseconds, kind: kind, fields: fields) { return quick }
        var event = TraceLine(seq: seq, nanoseconds: nanoseconds, kind: kind)
        event.thread = try fields.optionalString(.thread)
        event.future = try fields.optionalUInt64(.future)
        event.futures = try fields.optionalUInt64Array(.futures)
        event.label = try fields.optionalString(.label)
        event.worker = try fields.optionalString(.worker)
        event.executor = try fields.optionalString(.executor)
        event.result = try fields.optionalString(.result)
        event.exception = try fields.optionalString(.exception)
        event.type = try fields.optionalString(.type)
        event.waitsFor = try fields.optionalString(.waitsFor)
        event.reason = try fields.optionalString(.reason)
        event.timedOut = try fields.optionalBool(.timedOut)
        event.wait = try fields.optionalBool(.wait)
        event.cancelFutures = try fields.optionalBool(.cancelFutures)
        event.level = try fields.optionalString(.level)
        event.message = try fields.optionalString(.message)
        event.cycle = try fields.optionalStringArray(.cycle)
        event.blocked = try fields.optionalBlocked(.blocked)
        event.name = try fields.optionalString(.name)
        event.value = try fields.optionalNumber(.value)
        event.passed = try fields.optionalBool(.passed)
        event.executorKind = try fields.optionalString(.executorKind)
        event.maxWorkers = try fields.optionalInt(.maxWorkers)
        event.gil = try fields.optionalBool(.gil)
        event.objectKind = try fields.optionalString(.objectKind)
        event.action = try fields.optionalString(.action)
        event.limit = try fields.optionalInt(.limit)
        event.choices = try fields.optionalStringArray(.choices)
        event.explain = try fields.optionalString(.explain)
        event.atStart = try fields.optionalBool(.atStart)
        event.picks = try fields.optionalUInt64Array(.picks).map { $0.map { Int($0) } }
        event.runnable = try fields.optionalUInt64Array(.runnable).map { $0.map { Int($0) } }
        do { return try event.event() } catch { throw Problem(message: error.message) }
    }

    /// The members every event line may have.
    private static let common: UInt64 = [TraceKey.seq, .t, .kind, .thread].reduce(0) { $0 | 1 << UInt64($1.rawValue) }

    private static func members(_ keys: TraceKey...) -> UInt64 {
        keys.reduce(common) { $0 | 1 << UInt64($1.rawValue) }
    }

    private static let taskMembers: [TraceEvent.Kind: UInt64] = [
        .submitted: members(.future, .label, .executor), .started: members(.future, .worker),
        .returned: members(.future, .result, .type), .raised: members(.future, .exception, .type),
    ]

    /// The four events every task has, read without the all-kinds line:
    /// when the line holds only the members of its kind, the same fields
    /// are checked in the same order as `TraceLine` checks them, so a bad
    /// line gets the same message either way. Any other line: nil.
    private static func quickEvent(seq: Int, nanoseconds: UInt64, kind: TraceEvent.Kind, fields: Fields) throws -> TraceEvent? {
        guard let allowed = taskMembers[kind], fields.hasOnly(allowed) else { return nil }
        func need<T>(_ value: T?, _ key: String) throws -> T {
            guard let value else { throw Problem(message: "a '\(kind.rawValue)' event needs '\(key)'") }
            return value
        }
        let thread = try fields.optionalString(.thread)
        let future = try fields.optionalUInt64(.future)
        let payload: TraceEvent.Payload
        switch kind {
        case .submitted:
            let label = try fields.optionalString(.label)
            let executor = try fields.optionalString(.executor)
            payload = .submitted(future: try need(future, "future"), executor: try need(executor, "executor"), label: label)
        case .started:
            let worker = try fields.optionalString(.worker)
            payload = .started(future: try need(future, "future"), worker: try need(worker, "worker"))
        case .returned:
            let result = try fields.optionalString(.result)
            let type = try fields.optionalString(.type)
            payload = .returned(future: try need(future, "future"), result: try need(result, "result"), type: type)
        default:
            let exception = try fields.optionalString(.exception)
            let type = try fields.optionalString(.type)
            payload = .raised(future: try need(future, "future"), exception: try need(exception, "exception"), type: type)
        }
        return TraceEvent(seq: seq, nanoseconds: nanoseconds, thread: thread, payload)
    }

    /// `previous`: the last event's number and time (not the event: a copy
    /// of it a line was a measurable part of loading a long trace).
    private static func check(_ event: TraceEvent, after previous: (seq: Int, nanoseconds: UInt64)?) throws {
        let expected = (previous?.seq ?? 0) + 1
        guard event.seq == expected else {
            throw Problem(message: "'seq' is \(event.seq), expected \(expected)")
        }
        if let previous, event.nanoseconds < previous.nanoseconds {
            throw Problem(message: "'t' goes backwards (\(event.t) after \(Double(previous.nanoseconds) / 1e9))")
        }
    }
}

/// The line reader's state between lines: the values of the last line
/// parsed, by key, and the strings shared between lines.
struct LineParsing: Sendable {
    var values = [JSONValue?](repeating: nil, count: TraceKey.allCases.count)
    /// The slots of `values` the line filled (bit n: `TraceKey(rawValue: n)`).
    var set: UInt64 = 0
    var strings = StringInterner()

    /// Parses `line` into `values`; false when it is not one JSON object.
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        TraceLineParser.parse(line, into: &values, set: &set, strings: &strings)
    }
}

/// Typed access to one parsed line, with messages that name the field.
private struct Fields {
    let values: [JSONValue?]
    let set: UInt64

    init(_ values: [JSONValue?], set: UInt64) {
        self.values = values
        self.set = set
    }

    /// Whether the line has no member beyond `keys`.
    func hasOnly(_ keys: UInt64) -> Bool { set & ~keys == 0 }

    func requiredString(_ key: TraceKey) throws -> String {
        guard let value = try optionalString(key) else { throw missing(key) }
        return value
    }

    func requiredInt(_ key: TraceKey) throws -> Int {
        guard let value = try optionalInt(key) else { throw missing(key) }
        return value
    }

    func requiredNumber(_ key: TraceKey) throws -> Double {
        guard let raw = values[key.rawValue] else { throw missing(key) }
        switch raw {
        case .integer(let integer): return Double(integer)
        case .real(let real): return real
        default: throw wrong(key, "a number")
        }
    }

    func optionalNumber(_ key: TraceKey) throws -> Double? {
        guard values[key.rawValue] != nil else { return nil }
        return try requiredNumber(key)
    }

    func optionalString(_ key: TraceKey) throws -> String? {
        guard let raw = values[key.rawValue] else { return nil }
        guard case .string(let value) = raw else { throw wrong(key, "a string") }
        return value
    }

    func optionalInt(_ key: TraceKey) throws -> Int? {
        guard let raw = values[key.rawValue] else { return nil }
        switch raw {
        case .integer(let integer): return integer
        case .real(let real):
            guard let value = Int(exactly: real) else { throw wrong(key, "an integer") }
            return value
        default: throw wrong(key, "an integer")
        }
    }

    func optionalUInt64(_ key: TraceKey) throws -> UInt64? {
        guard let value = try optionalInt(key) else { return nil }
        guard value >= 0 else { throw wrong(key, "a non-negative integer") }
        return UInt64(value)
    }

    func optionalBool(_ key: TraceKey) throws -> Bool? {
        guard let raw = values[key.rawValue] else { return nil }
        guard case .bool(let value) = raw else { throw wrong(key, "true or false") }
        return value
    }

    func optionalStringArray(_ key: TraceKey) throws -> [String]? {
        guard let raw = values[key.rawValue] else { return nil }
        guard case .array(let items) = raw else { throw wrong(key, "an array of strings") }
        return try items.map { item in
            guard case .string(let text) = item else { throw wrong(key, "an array of strings") }
            return text
        }
    }

    func optionalUInt64Array(_ key: TraceKey) throws -> [UInt64]? {
        guard let raw = values[key.rawValue] else { return nil }
        guard case .array(let items) = raw else { throw wrong(key, "an array of non-negative integers") }
        return try items.map { item in
            switch item {
            case .integer(let integer) where integer >= 0: return UInt64(integer)
            case .real(let real) where real >= 0 && real < 9.2e18: return UInt64(real)
            default: throw wrong(key, "an array of non-negative integers")
            }
        }
    }

    /// `{"workers": 5, "lock": true}`, sorted by name (read back as JSON text).
    func optionalParams(_ key: TraceKey) throws -> [TraceHeader.Param] {
        guard let raw = values[key.rawValue] else { return [] }
        guard case .object(let members) = raw else { throw wrong(key, "an object of parameter values") }
        var latest: [String: JSONValue] = [:]
        for member in members { latest[member.name] = member.value }
        return try latest.keys.sorted().map { name in
            let json: String
            switch latest[name]! {
            case .bool(let flag): json = flag ? "true" : "false"
            case .integer(let integer): json = String(integer)
            case .real(let real): json = NSNumber(value: real).stringValue
            case .string(let text): json = TraceWriter.quoted(text)
            default: throw wrong(key, "an object of numbers, booleans and strings")
            }
            return TraceHeader.Param(name: name, json: json)
        }
    }

    func optionalBlocked(_ key: TraceKey) throws -> [TraceEvent.BlockedWait]? {
        guard let raw = values[key.rawValue] else { return nil }
        guard case .array(let items) = raw else { throw wrong(key, "an array of objects") }
        return try items.map { item in
            guard case .object(let members) = item else { throw wrong(key, "an array of objects") }
            func text(_ name: String) -> String? {
                guard case .string(let value)? = members.last(where: { $0.name == name })?.value else { return nil }
                return value
            }
            guard let thread = text("thread"), let waitsFor = text("waits_for") else {
                throw wrong(key, "objects with 'thread' and 'waits_for'")
            }
            return TraceEvent.BlockedWait(thread: thread, waitsFor: waitsFor)
        }
    }

    private func missing(_ key: TraceKey) -> TraceReader.Problem {
        TraceReader.Problem(message: "missing '\(key.name)'")
    }

    private func wrong(_ key: TraceKey, _ expected: String) -> TraceReader.Problem {
        TraceReader.Problem(message: "'\(key.name)' must be \(expected)")
    }
}
