/// The results of `Executor.map`, in input order (CPython 3.12's result iterator).
///
/// Every call was submitted when `map` returned. `next()` waits for the next
/// future in input order, up to the deadline measured from the `map` call, and
/// returns its value; an error surfaces at its position and ends the iteration;
/// a timeout throws `TimeoutError`. Whenever the iteration ends early — error,
/// timeout, `close()`, or dropping this object — every future not yet yielded is
/// cancelled (the awaited one too). It keeps no reference to yielded results.
public final class MapResults<T: Sendable> {
    /// The futures not yet yielded, last first (so `popLast` takes the next).
    private var remaining: [Future<T>]
    private let deadline: RuntimeInstant?
    private let runtime: any Runtime

    package init(futures: [Future<T>], deadline: RuntimeInstant?, runtime: any Runtime) {
        self.remaining = futures.reversed()
        self.deadline = deadline
        self.runtime = runtime
    }

    deinit {
        close()
    }

    /// The next result, `nil` at the end.
    public func next() throws -> T? {
        guard let future = remaining.popLast() else { return nil }
        do {
            defer { future.cancel() }
            let timeout = deadline.map { runtime.now().duration(until: $0) }
            return try future.result(timeout: timeout)
        } catch {
            close()
            throw error
        }
    }

    /// All remaining results, in input order.
    public func collect() throws -> [T] {
        var results: [T] = []
        results.reserveCapacity(remaining.count)
        while let result = try next() { results.append(result) }
        return results
    }

    /// Cancels every future not yet yielded and ends the iteration.
    public func close() {
        let left = remaining
        remaining = []
        for future in left { future.cancel() }
    }

    /// How many results have not been yielded yet.
    public var pendingCount: Int { remaining.count }
}
