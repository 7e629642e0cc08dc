import FuturesCore

/// A value behind a lock: a pthread mutex (TSan-clean here, see the reference
/// notes; NSLock wraps the same mutex in an Objective-C-style class and cost
/// twice as much on the interpreter's variable reads).
final class Locked<State>: @unchecked Sendable {
    // @unchecked: `state` is only touched inside `lock`.
    private let lock = OSMutex()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    func read<R>(_ body: (State) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(state)
    }

    func write<R>(_ body: (inout State) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
