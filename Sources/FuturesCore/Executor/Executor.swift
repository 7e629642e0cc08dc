/// An executor runs calls asynchronously and hands back futures: CPython's
/// `concurrent.futures.Executor`.
///
/// `submit` and `shutdown` are what an executor implements; `map` and scoped use
/// come with the protocol, as `Executor.map` comes with Python's base class.
/// `map` is a requirement so that a process pool can add chunking.
public protocol Executor: AnyObject, Sendable {
    /// The runtime whose threads and clock this executor uses.
    var runtime: any Runtime { get }

    /// Schedules `call` and returns its future. `label` names the call in traces
    /// ("loiter(1)"). Throws `RuntimeError.cannotScheduleAfterShutdown` after
    /// `shutdown`, or a `BrokenExecutor` error once the executor is broken.
    func submit<T: Sendable>(label: String?, _ call: @escaping @Sendable () throws -> T) throws -> Future<T>

    /// Signals that no more calls will come and frees resources once the
    /// pending ones are done. `wait` blocks until they are; `cancelFutures`
    /// cancels the calls still queued. Safe to call more than once.
    func shutdown(wait: Bool, cancelFutures: Bool)

    /// Calls `function` on every element now and returns the results in input
    /// order (see `MapResults`). `chunksize` is used only by process pools.
    func map<S: Sequence, T: Sendable>(
        _ function: @escaping @Sendable (S.Element) throws -> T,
        _ items: S,
        timeout: Duration?,
        chunksize: Int
    ) throws -> MapResults<T> where S.Element: Sendable
}

extension Executor {
    /// Schedules `call` and returns its future.
    public func submit<T: Sendable>(_ call: @escaping @Sendable () throws -> T) throws -> Future<T> {
        try submit(label: nil, call)
    }

    public func shutdown(wait: Bool = true) {
        shutdown(wait: wait, cancelFutures: false)
    }

    public func map<S: Sequence, T: Sendable>(
        _ function: @escaping @Sendable (S.Element) throws -> T,
        _ items: S,
        timeout: Duration? = nil,
        chunksize: Int = 1
    ) throws -> MapResults<T> where S.Element: Sendable {
        let deadline = runtime.deadline(after: timeout)
        var futures: [Future<T>] = []
        do {
            for item in items {
                futures.append(try submit { try function(item) })
            }
        } catch {
            for future in futures { future.cancel() }
            throw error
        }
        return MapResults(futures: futures, deadline: deadline, runtime: runtime)
    }

    /// `map` over two sequences zipped, like `map(divmod, xs, ys)`.
    public func map<S1: Sequence, S2: Sequence, T: Sendable>(
        _ function: @escaping @Sendable (S1.Element, S2.Element) throws -> T,
        _ first: S1,
        _ second: S2,
        timeout: Duration? = nil,
        chunksize: Int = 1
    ) throws -> MapResults<T> where S1.Element: Sendable, S2.Element: Sendable {
        try map({ pair in try function(pair.0, pair.1) },
                zip(first, second).map { ($0, $1) },
                timeout: timeout, chunksize: chunksize)
    }

    /// Python's `with executor:` — runs `body`, then shuts down with wait, also
    /// when `body` throws (the error propagates).
    public func scoped<R>(_ body: (Self) throws -> R) rethrows -> R {
        defer { shutdown(wait: true, cancelFutures: false) }
        return try body(self)
    }
}
