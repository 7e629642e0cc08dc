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
    /// semaphore, a queue (`kind`, its `name`, and what the wait needs).
    case primitive(kind: String, name: String, waitsFor: String)
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
        case .primitive(let kind, let name, let waitsFor): "\(kind) \(name) (\(waitsFor))"
        case .other(let text): text
        }
    }
}
