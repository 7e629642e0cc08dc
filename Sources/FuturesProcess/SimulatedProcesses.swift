import DequeModule
import Foundation
import FuturesCore
import FuturesTrace
import FuturesTraceSchema

/// A process pool's workers simulated in-process, for the deterministic
/// runtime: each "process" is a thread of the run with a simulated pid. Calls
/// still cross as bytes — arguments encoded by the caller and decoded by the
/// worker, results the other way — so encoding errors behave as with real
/// processes, and the registered task's own code runs. A task that would end
/// its process (`ProcessWorker.exit`, `ProcessWorker.crash`) ends only its
/// simulated one, and the pool breaks as it would.
///
/// Threading rule: every `var` is guarded by `lock`; parkers are unparked
/// after it is released.
final class SimulatedProcesses: ProcessBackend, @unchecked Sendable {
    private let executorName: String
    private let maxWorkers: Int
    private let maxTasksPerChild: Int?
    private let initializer: ProcessInitializer?
    private let runtime: any Runtime

    private let lock = SpinLock()
    private var pending = Deque<ProcessCall>()
    private var idle: [any Parker] = []
    private var idleCount = 0
    private var workers: [Int32: String] = [:]
    /// The call each simulated process is running (when the pool breaks, they
    /// die with it, as the real pool kills its other workers).
    private var running: [Int32: ProcessCall] = [:]
    private var nextIndex = 0
    private var nextCallID: UInt64 = 1
    private var broken: BrokenProcessPool?
    private var shutdownRequested = false
    private var threads: [any RuntimeThread] = []

    init(executorName: String, maxWorkers: Int, maxTasksPerChild: Int?, initializer: ProcessInitializer?, runtime: any Runtime) throws {
        self.executorName = executorName
        self.maxWorkers = maxWorkers
        self.maxTasksPerChild = maxTasksPerChild
        self.initializer = initializer
        self.runtime = runtime
    }

    func makeCallID() -> UInt64 {
        lock.withLock {
            defer { nextCallID += 1 }
            return nextCallID
        }
    }

    func checkUsable() throws {
        if let broken = lock.withLock({ broken }) { throw BrokenProcessPool.notUsable(cause: broken.cause) }
    }

    var workerPids: [Int32] { lock.withLock { workers.keys.sorted() } }

    func submit(_ call: ProcessCall, label: String) throws {
        let (wake, start): ((any Parker)?, (index: Int, pid: Int32)?) = try lock.withLock {
            if let broken { throw BrokenProcessPool.notUsable(cause: broken.cause) }
            if shutdownRequested { throw RuntimeError.cannotScheduleAfterShutdown }
            pending.append(call)
            if idleCount > 0, !idle.isEmpty {
                idleCount -= 1
                return (idle.removeFirst(), nil)
            }
            guard workers.count < maxWorkers else { return (nil, nil) }
            return (nil, reserveWorker())
        }
        wake?.unpark()
        if let start { try startWorker(start) }
    }

    /// A new simulated process's index and pid (under `lock`).
    private func reserveWorker() -> (index: Int, pid: Int32) {
        let index = nextIndex
        nextIndex += 1
        let pid = Int32(10_000 + index)
        workers[pid] = "\(executorName)_\(index)"
        return (index, pid)
    }

    private func startWorker(_ worker: (index: Int, pid: Int32)) throws {
        let name = "\(executorName)_\(worker.index)"
        let thread = try runtime.startThread(named: name) { [self] in work(pid: worker.pid, name: name) }
        lock.withLock { threads.append(thread) }
    }

    /// A simulated worker process: the initializer, then calls until it is
    /// retired, shut down, or dies.
    private func work(pid: Int32, name: String) {
        let parker = ThreadContext.current.parker
        var done = 0
        if let initializer, let entry = ProcessTasks.entry(named: initializer.name) {
            do {
                _ = try ProcessWorker.simulating(pid: pid) { try entry.run(try entry.decode(initializer.arguments)) }
            } catch {
                return breakPool(pid: pid, cause: "the initializer \(initializer.name) failed: \(error)")
            }
        }
        while true {
            let call: ProcessCall? = lock.withLock {
                if broken != nil { return nil }
                return pending.popFirst()
            }
            guard let call else {
                let stop = lock.withLock { () -> Bool in
                    if broken != nil || shutdownRequested {
                        workers[pid] = nil
                        return true
                    }
                    idle.append(parker)
                    idleCount += 1
                    return false
                }
                if stop { return }
                _ = parker.park(until: nil, reason: .work(executor: executorName))
                lock.withLock {
                    if let index = idle.firstIndex(where: { $0 === parker }) {
                        idle.remove(at: index)
                        idleCount -= 1
                    }
                }
                continue
            }
            guard (try? call.future.setRunningOrNotifyCancel(recordStart: false)) == true else { continue }
            lock.withLock { running[pid] = call }
            defer { lock.withLock { running[pid] = nil } }
            if call.future.id != 0 { ThreadContext.current.trace?.recordStarted(future: call.future.id, worker: name) }
            switch run(call, pid: pid) {
            case .answered:
                if lock.withLock({ broken != nil }) {
                    lock.withLock { workers[pid] = nil }
                    return
                }
            case .died(let cause):
                return breakPool(pid: pid, cause: cause, also: call)
            case .exited(let code):
                try? call.complete(.failure(SystemExit(code: code)))
                return retire(pid: pid)
            }
            done += 1
            if let maximum = maxTasksPerChild, done >= maximum { return retire(pid: pid) }
        }
    }

    private enum Outcome { case answered, died(String), exited(Int32) }

    private func run(_ call: ProcessCall, pid: Int32) -> Outcome {
        guard let entry = ProcessTasks.entry(named: call.name) else { return .died("no process task named '\(call.name)'") }
        do {
            let results: [Data] = try ProcessWorker.simulating(pid: pid) {
                var arguments: [any Sendable] = []
                for data in call.arguments {
                    do { arguments.append(try entry.decode(data)) } catch {
                        throw SimulatedDeath(cause: "cannot decode the arguments of \(call.name): \(WireCodec.describe(error))")
                    }
                }
                return try arguments.map { try entry.run($0) }
            }
            do { try call.complete(.success(results)) } catch {
                return .died("cannot decode the result of \(call.name) in the parent: \(error)")
            }
        } catch let death as SimulatedDeath {
            if let code = death.exitCode { return .exited(code) }
            return .died(death.cause)
        } catch {
            let info = RemoteErrorInfo(type: ErrorNames.typeName(of: error), message: ErrorNames.message(of: error),
                                       traceback: "Traceback (in simulated worker process \(pid)): \(call.name) raised \(ErrorNames.typeName(of: error))")
            try? call.complete(.failure(ErrorNames.rebuild(info)))
        }
        return .answered
    }

    /// The worker leaves in order; a new one starts if calls are waiting.
    private func retire(pid: Int32) {
        let start: (index: Int, pid: Int32)? = lock.withLock {
            workers[pid] = nil
            guard !pending.isEmpty, broken == nil, workers.count < maxWorkers else { return nil }
            return reserveWorker()
        }
        if let start { try? startWorker(start) }
    }

    private func breakPool(pid: Int32, cause: String, also failed: ProcessCall? = nil) {
        let (calls, sleepers): ([ProcessCall], [any Parker]) = lock.withLock {
            workers[pid] = nil
            if broken == nil { broken = BrokenProcessPool.notUsable(cause: cause) }
            defer {
                pending.removeAll()
                idle.removeAll()
                idleCount = 0
            }
            let killed = running.filter { $0.key != pid }.values.sorted { $0.id < $1.id }
            running.removeAll()
            return (killed + Array(pending), idle)
        }
        let error = BrokenProcessPool.terminated(cause: cause)
        for call in ([failed].compactMap { $0 } + calls) {
            _ = try? call.future.setRunningOrNotifyCancel(recordStart: false)
            try? call.complete(.failure(error))
        }
        for parker in sleepers { parker.unpark() }
    }

    func shutdown(wait: Bool, cancelFutures: Bool) {
        let (cancelled, sleepers, threads): ([ProcessCall], [any Parker], [any RuntimeThread]) = lock.withLock {
            shutdownRequested = true
            var cancelled: [ProcessCall] = []
            if cancelFutures {
                cancelled = Array(pending)
                pending.removeAll()
            }
            defer {
                idle.removeAll()
                idleCount = 0
            }
            return (cancelled, idle, self.threads)
        }
        for call in cancelled {
            call.future.cancel()
            _ = try? call.future.setRunningOrNotifyCancel(recordStart: false)
        }
        for parker in sleepers { parker.unpark() }
        if wait { for thread in threads { thread.join() } }
    }
}

/// A simulated process ending: by exit(code), or abruptly (a crash).
struct SimulatedDeath: Error {
    var exitCode: Int32?
    var cause: String

    init(exitCode: Int32) {
        self.exitCode = exitCode
        self.cause = "exit code \(exitCode)"
    }

    init(cause: String) {
        self.exitCode = nil
        self.cause = cause
    }
}
