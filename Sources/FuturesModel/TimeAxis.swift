/// The time axis every timeline draws (the dashboard's, the headless
/// report's, the SVG's): where ticks fall and how they are labelled, so that
/// every view marks time the same way.
public enum TimeAxis {
    /// The tick spacing, in nanoseconds (1, 2 or 5 × a power of ten), for
    /// about one tick every eight columns over `end` nanoseconds.
    public static func tickStep(end: UInt64, width: Int) -> UInt64 {
        let target = Double(end) / Double(min(8, max(2, width / 8)))
        let candidates: [UInt64] = [1, 2, 5].flatMap { base in (0..<13).map { power in base * pow10(power) } }.sorted()
        return candidates.first { Double($0) >= target } ?? end
    }

    private static func pow10(_ power: Int) -> UInt64 {
        (0..<power).reduce(1) { value, _ in value * 10 }
    }

    public static func tickLabel(_ nanoseconds: UInt64, step: UInt64) -> String {
        if step >= 1_000_000_000 { return "\(nanoseconds / 1_000_000_000)s" }
        if step >= 1_000_000 { return trim(Double(nanoseconds) / 1e9) + "s" }
        if step >= 1_000 { return "\(nanoseconds / 1_000)µs" }
        return "\(nanoseconds)ns"
    }

    static func trim(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 9e15 else { return "\(value)" }
        var text = String(Int((value * 1000).rounded()))
        while text.count < 4 { text = "0" + text }
        var result = String(text.dropLast(3)) + "." + String(text.suffix(3))
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }
}

/// Seconds with three decimals: `1.000`.
public func seconds(_ nanoseconds: UInt64) -> String {
    let millis = nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 >= 500_000 ? 1 : 0)
    let fraction = String(millis % 1000)
    return String(millis / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
}
