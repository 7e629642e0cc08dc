/// A map from future ids to values, for the ids a trace numbers 1, 2, 3 …:
/// those below a bound that grows with the table live in an array (a look-up
/// is an index, and ids used together sit together in memory), the rest in a
/// dictionary. Loading a 1 M-event trace spent a third of building its model
/// in dictionary look-ups by id, most of them cache misses.
struct FutureTable<Value: Sendable>: Sendable {
    private var dense: [Value?] = []
    private var sparse: [UInt64: Value] = [:]

    /// Ids below this may go to the array: room for every id so far and as
    /// many again (a trace of scattered ids stays in the dictionary).
    private var denseLimit: UInt64 { UInt64(max(1_024, dense.count * 2)) }

    subscript(id: UInt64) -> Value? {
        get {
            if id < UInt64(dense.count) { return dense[Int(id)] }
            return sparse.isEmpty ? nil : sparse[id]
        }
        set {
            if id < UInt64(dense.count) {
                dense[Int(id)] = newValue
            } else if id < denseLimit, newValue != nil {
                dense.append(contentsOf: repeatElement(nil, count: Int(id) + 1 - dense.count))
                dense[Int(id)] = newValue
                // Ids the array now covers leave the dictionary.
                for (other, value) in sparse where other < UInt64(dense.count) {
                    if other != id { dense[Int(other)] = value }
                    sparse[other] = nil
                }
            } else {
                sparse[id] = newValue
            }
        }
    }

    /// Removes and returns the value for `id`.
    mutating func removeValue(forKey id: UInt64) -> Value? {
        let value = self[id]
        if value != nil { self[id] = nil }
        return value
    }
}
