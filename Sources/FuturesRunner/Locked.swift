import Foundation

/// A value behind a lock (NSLock: TSan-clean here, see the reference notes).
final class Locked<State>: @unchecked Sendable {
    // @unchecked: `state` is only touched inside `lock`.
    private let lock = NSLock()
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
