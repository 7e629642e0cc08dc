/// A scenario's variables by name: what a `[String: Value]` does, for the
/// interpreter's hottest path (every name an expression reads, every `set`).
///
/// Why not a Dictionary: a Swift Dictionary hashes each key with seeded
/// SipHash (three calls into the runtime: seed, combine, finalize), which
/// was a fifth of `explore`'s time on shared_counter. Variable names are
/// short and few, so this table hashes their UTF-8 bytes with FNV-1a and
/// probes linearly in a power-of-two array kept at most half full.
/// Variables are never removed, so there are no tombstones.
public struct VariableTable: Sendable, VariableScope {
    /// Parallel arrays: a slot is empty while its hash is 0 (a name's hash
    /// always has its low bit set). Apart so a `set` writes the value alone.
    private var hashes: ContiguousArray<Int>
    private var names: ContiguousArray<String>
    private var values: ContiguousArray<Value>
    public private(set) var count = 0

    public init(minimumCapacity: Int = 8) {
        var capacity = 8
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        hashes = ContiguousArray(repeating: 0, count: capacity)
        names = ContiguousArray(repeating: "", count: capacity)
        values = ContiguousArray(repeating: .none, count: capacity)
    }

    public init(_ values: [String: Value]) {
        self.init(minimumCapacity: values.count)
        for (name, value) in values { self[name] = value }
    }

    /// FNV-1a of the name's UTF-8 bytes, low bit set.
    @inline(__always)
    static func hash(_ name: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash | 1)
    }

    /// Where `name` is, or the empty slot where it would go.
    @inline(__always)
    private func slot(of name: String, hash: Int) -> Int {
        let mask = hashes.count - 1
        var index = hash & mask
        while hashes[index] != 0 {
            if hashes[index] == hash, names[index] == name { return index }
            index = (index + 1) & mask
        }
        return index
    }

    public subscript(name: String) -> Value? {
        get {
            let index = slot(of: name, hash: Self.hash(name))
            return hashes[index] == 0 ? nil : values[index]
        }
        set {
            guard let newValue else { preconditionFailure("variables are never removed") }
            let hash = Self.hash(name)
            set(newValue, at: slot(of: name, hash: hash), hash: hash, name: name)
        }
    }

    @inline(__always)
    private mutating func set(_ value: Value, at index: Int, hash: Int, name: String) {
        values[index] = value
        guard hashes[index] == 0 else { return }
        hashes[index] = hash
        names[index] = name
        count += 1
        if count * 2 > hashes.count { grow() }
    }

    public func value(of name: String) -> Value? { self[name] }

    /// `self[name.text]`, with the hash made when the name was parsed.
    public subscript(name: VariableName) -> Value? {
        get { value(of: name) }
        set {
            guard let newValue else { preconditionFailure("variables are never removed") }
            set(newValue, at: slot(of: name.text, hash: name.hash), hash: name.hash, name: name.text)
        }
    }

    public func value(of name: VariableName) -> Value? {
        let index = slot(of: name.text, hash: name.hash)
        return hashes[index] == 0 ? nil : values[index]
    }

    private mutating func grow() {
        let old = (hashes, names, values)
        self = VariableTable(minimumCapacity: old.0.count)
        for index in old.0.indices where old.0[index] != 0 {
            let slot = slot(of: old.1[index], hash: old.0[index])
            hashes[slot] = old.0[index]
            names[slot] = old.1[index]
            values[slot] = old.2[index]
        }
        count = old.0.filter { $0 != 0 }.count
    }

    /// Every variable, as a dictionary (for templates and expectations).
    public var dictionary: [String: Value] {
        var result: [String: Value] = [:]
        result.reserveCapacity(count)
        for index in hashes.indices where hashes[index] != 0 { result[names[index]] = values[index] }
        return result
    }
}

/// A variable's name as an expression reads it, with its hash made once.
public struct VariableName: Sendable, Equatable {
    public let text: String
    let hash: Int

    public init(_ text: String) {
        self.text = text
        self.hash = VariableTable.hash(text)
    }

    public static func == (a: Self, b: Self) -> Bool { a.text == b.text }
}
