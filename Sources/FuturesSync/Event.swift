import FuturesCore
import FuturesTrace
import FuturesTraceSchema

/// Python's `threading.Event` (Cookbook 12.2): a flag threads wait for.
public final class Event: @unchecked Sendable {
    // @unchecked: `flag` and `waiters` change only under `state`.
    public let name: String
    private let state = SpinLock()
    private var flag = false
    private var waiters = WaitList()

    /// Whether set and clear show in traces (an actor's own "terminated" does not).
    private let traced: Bool

    public convenience init(name: String = "event") {
        self.init(name: name, traced: true)
    }

    init(name: String, traced: Bool) {
        self.name = name
        self.traced = traced
    }

    public var isSet: Bool { state.withLock { flag } }

    /// Sets the flag and wakes every waiter.
    public func set() {
        let woken: [WaitList.Waiter] = state.withLock {
            flag = true
            return waiters.grantAll()
        }
        traceChange("set", woken: woken.count)
        for waiter in woken { waiter.parker.unpark() }
    }

    public func clear() {
        state.withLock { flag = false }
        traceChange("clear", woken: 0)
    }

    private func traceChange(_ action: String, woken: Int) {
        guard traced, let trace = ThreadContext.current.detailTrace else { return }
        trace.record(.object(name, kind: "event", action: action, value: action == "set" ? 1 : 0))
    }

    /// Waits until the flag is set (up to `timeout`); returns the flag.
    @discardableResult
    public func wait(timeout: Duration? = nil) throws -> Bool {
        let context = ThreadContext.current
        let waiter: WaitList.Waiter? = state.withLock { flag ? nil : waiters.enqueue(context) }
        guard let waiter else { return true }
        return try block(waiter, lock: state, deadline: deadline(timeout),
                         reason: .primitive(kind: .event, name: name, waitsFor: "set()"), context: context) { waiters.remove(waiter) }
    }
}
