/// A scenario's seeded random numbers: `random()`, `uniform(a, b)`,
/// `randint(a, b)`, `choice(seq)` and `shuffle(seq)` in expressions.
///
/// Each thread of the program (main, a started thread, a task a pool runs,
/// an actor) draws from a stream of its own, made from the run's seed and
/// the thread's stable name (`MainThread`, `Thread-2 (worker)`, `pool#3` —
/// the executor and the submission's number). So the same seed gives the same
/// draws in the deterministic and the native runtime, whatever the
/// interleaving, and adding a thread does not change another thread's draws.
/// (Python's `random` module is one generator shared by every thread: its
/// draws depend on the interleaving; a lab that replays runs cannot.)
///
/// The generator is xoshiro256** seeded through SplitMix64 — not Python's
/// Mersenne Twister, so the numbers differ from CPython's for a seed; their
/// distribution is the same.
public final class RandomStream: @unchecked Sendable {
    // @unchecked: a stream belongs to the one thread running the scope that
    // made it (`Interpreter.Scope`); no other thread touches `state`.
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// The stream of `key` (a thread's stable name) under `seed`.
    public init(seed: UInt64, key: String) {
        // FNV-1a of the key, mixed with the seed: one 64-bit start per stream.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var mix = seed ^ (hash &* 0x9E37_79B9_7F4A_7C15)
        state = (Self.splitMix(&mix), Self.splitMix(&mix), Self.splitMix(&mix), Self.splitMix(&mix))
    }

    private static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits (xoshiro256**).
    public func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// `random.random()`: a float in [0, 1), 53 random bits as Python's.
    public func random() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A whole number in `0..<bound` (bound ≥ 1), without modulo bias.
    public func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        let threshold = (0 &- bound) % bound
        while true {
            let (high, low) = next().multipliedFullWidth(by: bound)
            if low >= threshold { return high }
        }
    }

    /// Draws for `name(arguments)`, as Python's `random` module would give
    /// them (the messages are Python's).
    public func call(_ name: String, _ arguments: [Value]) throws(EvaluationError) -> Value {
        switch name {
        case "random":
            guard arguments.isEmpty else { throw EvaluationError("TypeError: random() takes no arguments (\(arguments.count) given)") }
            return .double(random())
        case "uniform":
            guard arguments.count == 2, let a = arguments[0].number, let b = arguments[1].number else {
                throw EvaluationError("TypeError: uniform() takes two numbers (a, b)")
            }
            return .double(a + (b - a) * random())
        case "randint":
            guard arguments.count == 2, case .int(let a) = arguments[0], case .int(let b) = arguments[1] else {
                throw EvaluationError("TypeError: randint() takes two integers (a, b)")
            }
            guard a <= b else { throw EvaluationError("ValueError: empty range in randrange(\(a), \(b) + 1)") }
            let span = UInt64(bitPattern: Int64(b) &- Int64(a)) &+ 1
            // span 0: the whole 64-bit range.
            let offset = span == 0 ? next() : below(span)
            return .int(Int(bitPattern: UInt(bitPattern: a) &+ UInt(offset)))
        case "choice":
            guard arguments.count == 1, let items = arguments[0].sequenceItems else {
                throw EvaluationError("TypeError: choice() takes one list or string")
            }
            guard !items.isEmpty else { throw EvaluationError("IndexError: Cannot choose from an empty sequence") }
            return items[Int(below(UInt64(items.count)))]
        case "shuffle":
            guard arguments.count == 1, case .list(var items) = arguments[0] else {
                throw EvaluationError("TypeError: shuffle() takes one list")
            }
            // Fisher–Yates from the end, as Python's shuffle; a new list (values here are immutable).
            var index = items.count - 1
            while index > 0 {
                items.swapAt(index, Int(below(UInt64(index + 1))))
                index -= 1
            }
            return .list(items)
        default:
            throw EvaluationError("NameError: name '\(name)' is not defined")
        }
    }

    /// The names `call` draws for.
    public static let functions: Set<String> = ["random", "uniform", "randint", "choice", "shuffle"]
}

extension Value {
    /// A list's items, or a string's characters (as one-character strings).
    var sequenceItems: [Value]? {
        switch self {
        case .list(let items): items
        case .string(let text): text.map { .string(String($0)) }
        default: nil
        }
    }
}
