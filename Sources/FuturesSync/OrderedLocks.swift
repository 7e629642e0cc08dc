import Foundation
import FuturesCore

/// Cookbook 12.5: take several locks in one global order (their creation
/// order), so that two threads can never wait for each other's. Nested use
/// that would break the order on one thread — taking a lock ranked below one
/// it already holds through `acquire(_:)` — raises the recipe's
/// `RuntimeError('Lock Order Violation')`.
public enum OrderedLocks {
    /// Locks each thread holds through `acquire(_:)`, by its context.
    nonisolated(unsafe) private static var held: [ObjectIdentifier: [Lock]] = [:]
    private static let heldLock = NSLock()
    // nonisolated(unsafe): `held` is only touched under `heldLock`.

    /// Takes `locks` in rank order, runs `body`, releases them in reverse.
    public static func acquire<R>(_ locks: [Lock], _ body: () throws -> R) throws -> R {
        let me = ObjectIdentifier(ThreadContext.current)
        let sorted = locks.sorted { $0.rank < $1.rank }
        let already = heldLock.withLock { held[me] ?? [] }
        if let highest = already.map(\.rank).max(), let lowest = sorted.first, lowest.rank < highest {
            throw RuntimeError("Lock Order Violation")
        }
        var taken: [Lock] = []
        defer {
            for lock in taken.reversed() { try? lock.release() }
            heldLock.withLock {
                held[me]?.removeLast(taken.count)
                if held[me]?.isEmpty == true { held[me] = nil }
            }
        }
        for lock in sorted {
            try lock.acquire()
            taken.append(lock)
            heldLock.withLock { held[me, default: []].append(lock) }
        }
        return try body()
    }
}

