/// Named figures, printed as JSON (numbers only) or as a readable table.
struct BenchResults {
    private var order: [String] = []
    private var values: [String: Double] = [:]

    subscript(key: String) -> Double? {
        get { values[key] }
        set {
            if values[key] == nil { order.append(key) }
            values[key] = newValue
        }
    }

    /// Adds every figure of `other`, in its order.
    mutating func merge(_ other: [(String, Double)]) {
        for (key, value) in other { self[key] = value }
    }

    /// `key` = ours / theirs (both must be present), "higher is better" ratios.
    mutating func ratio(_ key: String, ours: String, theirs: String) {
        guard let a = values[ours], let b = values[theirs], b > 0 else { return }
        self[key] = a / b
    }

    func json() -> String {
        let body = order.map { key in
            "  \"\(key)\": \(Self.format(values[key]!))"
        }
        return "{\n" + body.joined(separator: ",\n") + "\n}"
    }

    func table() -> String {
        let width = order.map(\.count).max() ?? 0
        return order.map { key in
            key + String(repeating: " ", count: width - key.count + 2) + Self.format(values[key]!)
        }.joined(separator: "\n")
    }

    private static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String((value * 1000).rounded() / 1000)
    }
}
