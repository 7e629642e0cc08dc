import DequeModule
import Foundation
import FuturesCore

/// Cookbook 12.12: tasks that give way only at explicit `yield` points, run
/// round-robin, one at a time — cooperative multitasking, as the recipe does
/// with generators.
///
/// Each task is a thread of the runtime, but only the one holding the turn
/// runs: `yield` hands the turn back to the scheduler, which passes it to the
/// next task in line. So the interleaving is the recipe's exactly, in both
/// runtimes.
public final class CooperativeScheduler: @unchecked Sendable {
    // @unchecked: `ready` is only touched by the thread calling `run`;
    // each task's `turn` and the scheduler's `back` are semaphores.
    public typealias Body = @Sendable () throws -> Void

    final class Task: @unchecked Sendable {
        // @unchecked: `finished` is written by the task before it signals
        // `back`, and read by the scheduler after waiting on it.
        let name: String
        let body: Body
        let turn = try! Semaphore(0, name: "turn")
        var finished = false
        var error: (any Error)?
        init(name: String, body: @escaping Body) {
            self.name = name
            self.body = body
        }
    }

    private var ready = Deque<Task>()
    private let back = try! Semaphore(0, name: "scheduler")
    private static let currentLock = NSLock()
    nonisolated(unsafe) private static var current: [ObjectIdentifier: (CooperativeScheduler, Task)] = [:]
    // nonisolated(unsafe): only touched under `currentLock`.

    public init() {}

    /// Adds a task; it starts at the next `run`.
    public func spawn(named name: String, _ body: @escaping Body) {
        ready.append(Task(name: name, body: body))
    }

    /// Runs every task to its end, round-robin between yields. Errors a task
    /// throws end that task; the first is rethrown once all are done.
    public func run() throws {
        for task in ready {
            _ = try currentRuntime.startThread(named: task.name) { [self] in
                let me = ObjectIdentifier(ThreadContext.current)
                Self.currentLock.withLock { Self.current[me] = (self, task) }
                defer { Self.currentLock.withLock { Self.current[me] = nil } }
                _ = try? task.turn.acquire()
                do { try task.body() } catch { task.error = error }
                task.finished = true
                try? back.release()
            }
        }
        var firstError: (any Error)?
        while let task = ready.popFirst() {
            try task.turn.release()
            try back.acquire()
            if task.finished {
                if firstError == nil { firstError = task.error }
            } else {
                ready.append(task)
            }
        }
        if let firstError { throw firstError }
    }

    /// Gives the turn back to the scheduler and waits for it again. Outside a
    /// cooperative task: `RuntimeError('yield outside a cooperative task')`.
    public static func yield() throws {
        let me = ObjectIdentifier(ThreadContext.current)
        guard let (scheduler, task) = currentLock.withLock({ current[me] }) else {
            throw RuntimeError("yield outside a cooperative task")
        }
        try scheduler.back.release()
        try task.turn.acquire()
    }
}
