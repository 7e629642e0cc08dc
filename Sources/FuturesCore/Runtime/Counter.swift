import Synchronization

/// A thread-safe counter: Python's `itertools.count().__next__`.
public final class Counter: Sendable {
    private let value: Atomic<UInt64>

    public init(startingAt start: UInt64 = 0) {
        value = Atomic(start)
    }

    /// Returns the current value and advances by one.
    public func next() -> UInt64 {
        value.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}
