/// A point on a runtime's monotonic clock, in nanoseconds.
///
/// Integer nanoseconds rather than `ContinuousClock.Instant` because a virtual
/// clock must be able to stand on any value, and the parker's futex takes an
/// absolute CLOCK_MONOTONIC time in nanoseconds.
public struct RuntimeInstant: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// `self + duration`; a negative duration counts as zero.
    public func advanced(by duration: Duration) -> RuntimeInstant {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(duration.clampedNanoseconds)
        return RuntimeInstant(nanoseconds: overflow ? .max : sum)
    }

    /// The time from `self` until `later`, zero if `later` has passed.
    public func duration(until later: RuntimeInstant) -> Duration {
        later.nanoseconds > nanoseconds ? .nanoseconds(Int64(clamping: later.nanoseconds - nanoseconds)) : .zero
    }

    public static func < (lhs: RuntimeInstant, rhs: RuntimeInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public var description: String { "\(nanoseconds)ns" }
}

extension Duration {
    /// `seconds` as a duration, saturating: negative or NaN is zero, one
    /// past 2^63 nanoseconds (292 years) is the longest there is.
    public static func seconds(saturating seconds: Double) -> Duration {
        guard seconds > 0 else { return .zero }
        let nanoseconds = seconds * 1e9
        return .nanoseconds(nanoseconds >= 9.2e18 ? .max : Int64(nanoseconds.rounded()))
    }

    /// Whole nanoseconds, negative durations as 0, huge ones saturated.
    public var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        if seconds >= 18_000_000_000 { return .max }
        return UInt64(seconds) * 1_000_000_000 + UInt64(max(attoseconds, 0) / 1_000_000_000)
    }

    /// Seconds as a `Double`, for reports and Python-style messages.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
