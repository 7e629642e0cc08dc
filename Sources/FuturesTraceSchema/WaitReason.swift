/// What a blocked thread waits for. The deterministic runtime builds its
/// wait-for graph from these; traces show them in the lanes.
public enum WaitReason: Sendable, Hashable, CustomStringConvertible {
    /// `result()` or `exception()` on one future.
    case future(id: UInt64)
    /// `wait(_:returnWhen:)` or `asCompleted` over several futures.
    case futures(ids: [UInt64], call: String)
    /// An idle worker waiting for a work item of its executor.
    case work(executor: String)
    /// `join()` on a thread.
    case thread(name: String)
    /// `sleep(for:)`.
    case sleep
    /// Blocking network I/O (an HTTP request, a socket read), described in
    /// words; it ends by itself (it has a timeout), so it is never part of a
    /// deadlock.
    case io(String)
    /// The GIL of a (simulated) process, held by `holder`.
    case gil(process: String, holder: String)
    /// A lock (`Lock`, `RLock`), held by `holder`.
    case lock(name: String, holder: String)
    /// Another synchronisation primitive: an event, a condition, a
    /// semaphore, a select (`kind`, its `name`, and what the wait needs).
    case primitive(kind: PrimitiveKind, name: String, waitsFor: String)
    /// Anything else, described in words.
    case other(String)

    public var description: String {
        switch self {
        case .future(let id): "future \(id)"
        case .futures(let ids, let call): "\(call) on futures \(ids.map(String.init).joined(separator: ","))"
        case .work(let executor): "work from \(executor)"
        case .thread(let name): "thread \(name)"
        case .sleep: "sleep"
        case .io(let text): text
        case .gil(let process, let holder): "the GIL of \(process), held by \(holder)"
        case .lock(let name, let holder): "lock \(name), held by \(holder)"
        case .primitive(let kind, let name, let waitsFor): "\(kind.rawValue) \(name) (\(waitsFor))"
        case .other(let text): text
        }
    }

    /// The kind a trace line records as its `reason`.
    public var kind: WaitKind {
        switch self {
        case .future: .future
        case .futures: .futures
        case .work: .work
        case .thread: .thread
        case .sleep: .sleep
        case .io: .io
        case .gil: .gil
        case .lock: .lock
        case .primitive(let kind, _, _): kind.waitKind
        case .other: .other
        }
    }
}

/// The synchronisation primitives other than locks that a thread waits on.
public enum PrimitiveKind: String, Sendable, Hashable, CaseIterable {
    case event, condition, semaphore, select

    var waitKind: WaitKind {
        switch self {
        case .event: .event
        case .condition: .condition
        case .semaphore: .semaphore
        case .select: .select
        }
    }
}

/// A wait's kind, as a trace line's `reason` names it.
public enum WaitKind: String, Sendable, Hashable, CaseIterable {
    case future, futures, work, thread, sleep, io, gil, lock, event, condition, semaphore, select, other

    /// Waits that end by themselves (a sleep, network I/O): drawn as
    /// sleeping, never part of a deadlock.
    public var isTimed: Bool { self == .sleep || self == .io }
}
