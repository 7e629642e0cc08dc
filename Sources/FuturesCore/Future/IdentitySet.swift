/// A set of object identities, for dropping duplicate futures in `wait` and
/// `asCompleted` (CPython's `set(fs)`).
///
/// Why not `Set<ObjectIdentifier>`: SipHash, rehashing and above all cache
/// misses were a fifth of the submit-and-wait benchmark's main thread. Futures
/// made one after another lie one after another in memory, so the hash keeps
/// address order inside each window of the table's size (consecutive futures
/// land in nearby slots: the table is walked almost sequentially) and mixes
/// only the window number (so distant objects do not pile up on one spot).
/// Open addressing, load ≤ 1/2, sized once for the input.
struct IdentitySet {
    private var slots: [UInt]
    private var mask: Int
    private var bits: Int
    private var count = 0

    /// A set for up to `capacity` members.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt](repeating: 0, count: size)
        mask = size - 1
        bits = size.trailingZeroBitCount
    }

    /// Inserts `object`; returns false if it was already there.
    mutating func insert(_ object: AnyObject) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        let key = Self.key(object)
        var index = home(key)
        while true {
            let slot = slots[index]
            if slot == key { return false }
            if slot == 0 {
                slots[index] = key
                count += 1
                return true
            }
            index = (index + 1) & mask
        }
    }

    func contains(_ object: AnyObject) -> Bool {
        let key = Self.key(object)
        var index = home(key)
        while true {
            let slot = slots[index]
            if slot == key { return true }
            if slot == 0 { return false }
            index = (index + 1) & mask
        }
    }

    private static func key(_ object: AnyObject) -> UInt {
        UInt(bitPattern: ObjectIdentifier(object))
    }

    private func home(_ key: UInt) -> Int {
        let line = key >> 4
        let window = (line >> UInt(bits)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: line ^ window) & mask
    }

    /// Doubles the table (for sequences whose length was underestimated).
    private mutating func grow() {
        let old = slots
        self = IdentitySet(capacity: slots.count)
        for key in old where key != 0 {
            var index = home(key)
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = key
            count += 1
        }
    }
}
