import Foundation

/// A JSON value as a trace line holds it.
enum JSONValue: Sendable {
    case string(String)
    /// A number written without a fraction or an exponent that fits `Int`.
    case integer(Int)
    /// Any other number.
    case real(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Members in the line's order (a repeated name: the last one counts).
    case object([(name: String, value: JSONValue)])
}

/// Reads one trace line — a JSON object — straight from its UTF-8 bytes
/// into the fields the reader knows (`TraceKey`), dropping members it does
/// not know.
///
/// Why not `JSONSerialization`: loading a 1 M-event trace spent 28 % of its
/// time there, most of it bridging every value to `NSNumber`, `NSString` and
/// `NSDictionary`, and another 10 % looking each of 45 names up in the
/// dictionary it made. This reader is strict JSON (RFC 8259: no NaN, no
/// leading zeros, no trailing commas, no raw control characters in
/// strings), so it takes and refuses the same lines.
struct TraceLineParser {
    /// The deepest nesting a line may have (far beyond any trace's: a
    /// hostile line cannot exhaust the stack).
    static let maximumDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var strings: StringInterner

    /// Parses `line`; nil when it is not exactly one JSON object. Values of
    /// known names land in `values` (indexed by `TraceKey`).
    /// `set`: the slots of `values` the last line filled (cleared first),
    /// then those this line fills, as a bit set by `TraceKey.rawValue`.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, into values: inout [JSONValue?], set: inout UInt64,
                      strings: inout StringInterner) -> Bool {
        var parser = TraceLineParser(bytes: line, strings: strings)
        strings = StringInterner()  // not copied on write while the parser holds it
        defer { strings = parser.strings }
        return parser.parseLine(into: &values, set: &set)
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, strings: StringInterner) {
        self.bytes = bytes
        self.strings = strings
    }

    private mutating func parseLine(into values: inout [JSONValue?], set: inout UInt64) -> Bool {
        while set != 0 {
            values[set.trailingZeroBitCount] = nil
            set &= set - 1
        }
        skipSpace()
        guard next() == UInt8(ascii: "{") else { return false }
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipSpace()
                guard let key = parseKey() else { return false }
                skipSpace()
                guard next() == UInt8(ascii: ":") else { return false }
                skipSpace()
                guard let value = parseValue(depth: 1, intern: key?.isInterned ?? false) else { return false }
                if let key {
                    values[key.rawValue] = value
                    set |= 1 << UInt64(key.rawValue)
                }
                skipSpace()
                let separator = next()
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else { return false }
            }
        }
        skipSpace()
        return index == bytes.count
    }

    // MARK: - Pieces

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// A member's name: the known key it is (nil for one the reader does
    /// not know), or nil for the whole when the name is not a string.
    private mutating func parseKey() -> TraceKey?? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            index = end + 1
            return .some(TraceKey(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end])))
        }
        // Escapes in a name: no key of ours has any.
        guard case .string? = parseString(intern: false) else { return nil }
        return .some(nil)
    }

    private mutating func parseValue(depth: Int, intern: Bool = false) -> JSONValue? {
        guard depth <= Self.maximumDepth, let first = peek() else { return nil }
        switch first {
        case UInt8(ascii: "\""): return parseString(intern: intern)
        case UInt8(ascii: "{"): return parseObject(depth: depth)
        case UInt8(ascii: "["): return parseArray(depth: depth)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return parseNumber()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return nil }
        index += count
        return value
    }

    private mutating func parseObject(depth: Int) -> JSONValue? {
        index += 1
        var members: [(name: String, value: JSONValue)] = []
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard case .string(let name)? = parseString(intern: true) else { return nil }
            skipSpace()
            guard next() == UInt8(ascii: ":") else { return nil }
            skipSpace()
            guard let value = parseValue(depth: depth + 1, intern: true) else { return nil }
            members.append((name, value))
            skipSpace()
            let separator = next()
            if separator == UInt8(ascii: "}") { return .object(members) }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    private mutating func parseArray(depth: Int) -> JSONValue? {
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipSpace()
            guard let value = parseValue(depth: depth + 1, intern: true) else { return nil }
            items.append(value)
            skipSpace()
            let separator = next()
            if separator == UInt8(ascii: "]") { return .array(items) }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    private mutating func parseString(intern: Bool) -> JSONValue? {
        guard next() == UInt8(ascii: "\"") else { return nil }
        let start = index
        // The common case: no escapes, a slice of the line as it is.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return .string(intern ? strings.string(slice) : String(decoding: slice, as: UTF8.self))
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            index += 1
        }
        var text = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return .string(String(decoding: text, as: UTF8.self))
            case UInt8(ascii: "\\"):
                guard let escaped = next() else { return nil }
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hexQuad() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must come with its low one.
                        guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u"), let low = hexQuad(),
                              (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    text.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    return nil
                }
            default:
                if byte < 0x20 { return nil }
                text.append(byte)
            }
        }
        return nil
    }

    private mutating func hexQuad() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func parseNumber() -> JSONValue? {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { return nil }
        index += 1
        if first != UInt8(ascii: "0") { while let byte = peek(), isDigit(byte) { index += 1 } }
        var integral = true
        if peek() == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard let byte = peek(), isDigit(byte) else { return nil }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            integral = false
            index += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else { return nil }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if let fast = Self.quickNumber(UnsafeBufferPointer(rebasing: bytes[start..<index]), integral: integral) { return fast }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let integer = Int(text) { return .integer(integer) }
        guard let real = Double(text) else { return nil }
        return .real(real)
    }

    /// Powers of ten a Double holds exactly.
    private static let exactPowers: [Double] = (0...22).map { pow(10, Double($0)) }

    /// The common numbers of a trace without a detour through a String:
    /// an integer of up to 18 digits, or `digits.digits` whose digits make a
    /// whole number below 2^53 with at most 22 after the point — then one
    /// division by an exact power of ten is the correctly rounded value
    /// (Clinger's fast path). Anything else: nil, and the full parse.
    private static func quickNumber(_ text: UnsafeBufferPointer<UInt8>, integral: Bool) -> JSONValue? {
        var position = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative { position = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var seenPoint = false
        while position < text.count {
            let byte = text[position]
            position += 1
            if byte == UInt8(ascii: ".") {
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 else { return nil }
            mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
            digits += 1
            if seenPoint { fraction += 1 }
        }
        if integral {
            let value = Int(mantissa)
            return .integer(negative ? -value : value)
        }
        guard mantissa < 1 << 53, fraction <= 22 else { return nil }
        let value = Double(mantissa) / exactPowers[fraction]
        return .real(negative ? -value : value)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

/// One `String` for each distinct short text a trace repeats (thread,
/// worker and executor names, wait reasons): a million events then share a
/// few dozen strings instead of making a million.
struct StringInterner: Sendable {
    /// Whether `text` is exactly `bytes` (a memcmp, not a walk of views).
    static func same(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var copy = text
        return copy.withUTF8 { own in own.count == bytes.count && memcmp(own.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }

    private var table: [Int: [String]] = [:]
    private var kept = 0
    /// Distinct texts kept at most (a trace of unique labels shares nothing).
    static let limit = 4096

    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Short texts are stored inline in a String: nothing to share.
        guard bytes.count > 15, bytes.count <= 256 else { return String(decoding: bytes, as: UTF8.self) }
        var hash = 14_695_981_039_346_656_037 as UInt64
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let key = Int(truncatingIfNeeded: hash)
        if let candidates = table[key] {
            for candidate in candidates where Self.same(candidate, bytes) { return candidate }
        }
        let fresh = String(decoding: bytes, as: UTF8.self)
        if kept < Self.limit {
            table[key, default: []].append(fresh)
            kept += 1
        }
        return fresh
    }
}

/// The names of a trace line's members that the reader knows, each with
/// its slot in the parsed line.
enum TraceKey: Int, CaseIterable {
    // Events.
    case seq, t, kind, thread, future, futures, label, worker, executor, result, exception, type, waitsFor, reason
    case timedOut, wait, cancelFutures, level, message, cycle, blocked, name, value, passed, executorKind, maxWorkers
    case gil, objectKind, action, limit, choices, explain, atStart, picks, runnable
    // The header.
    case format, version, runtime, clock, program, seed, strategy, cores, title, description, params

    /// The name as the file spells it.
    var name: String {
        switch self {
        case .waitsFor: "waits_for"
        case .timedOut: "timed_out"
        case .cancelFutures: "cancel_futures"
        case .executorKind: "executor_kind"
        case .maxWorkers: "max_workers"
        case .objectKind: "object_kind"
        case .atStart: "at_start"
        default: String(describing: self)
        }
    }

    /// Values worth sharing between lines (names that repeat).
    var isInterned: Bool {
        switch self {
        case .thread, .worker, .executor, .reason, .waitsFor, .type, .name, .objectKind: true
        default: false
        }
    }

    /// The known names by length, as bytes.
    private static let byLength: [[(bytes: [UInt8], key: TraceKey)]] = {
        var table = [[(bytes: [UInt8], key: TraceKey)]](repeating: [], count: 16)
        for key in allCases {
            let bytes = Array(key.name.utf8)
            table[bytes.count].append((bytes, key))
        }
        return table
    }()

    init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count < Self.byLength.count else { return nil }
        for candidate in Self.byLength[bytes.count]
        where candidate.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
            self = candidate.key
            return
        }
        return nil
    }
}
