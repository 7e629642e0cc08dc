import FuturesCore
import FuturesScenario
import FuturesSync

/// The operations on locks, events, conditions, semaphores, queues and
/// thread-locals (Cookbook 12.2–12.6).
extension Interpreter {
    /// The operations on synchronisation objects.
    func runSync(_ action: Action, in scope: Scope) throws -> Flow {
        switch action {
        case .acquire(let object, let timeout, let name):
            let taken = try sync.acquire(try resolve(object, scope), timeout: try seconds(timeout, scope, "timeout"))
            if let name { scope.bind(name, .bool(taken)) }
        case .release(let object):
            try sync.release(try resolve(object, scope))
        case .with(let object, let body):
            let target = try resolve(object, scope)
            _ = try sync.acquire(target, timeout: nil)
            defer { try? sync.release(target) }
            return try run(body, in: scope)
        case .ordered(let objects, let body):
            let locks = try objects.map { try sync.object(try resolve($0, scope), as: Lock.self) }
            return try OrderedLocks.acquire(locks) { try run(body, in: scope) }
        case .eventSet(let event):
            try sync.object(try resolve(event, scope), as: Event.self).set()
        case .eventClear(let event):
            try sync.object(try resolve(event, scope), as: Event.self).clear()
        case .eventWait(let event, let timeout, let name):
            let set = try sync.object(try resolve(event, scope), as: Event.self).wait(timeout: try seconds(timeout, scope, "timeout"))
            if let name { scope.bind(name, .bool(set)) }
        case .notify(let condition, let count, let all):
            let target = try sync.object(try resolve(condition, scope), as: Condition.self)
            if all {
                try target.notifyAll()
            } else {
                guard case .int(let n) = try count.map({ try evaluate($0, scope) }) ?? .int(1) else {
                    throw ScenarioRaised(type: "TypeError", message: "notify n must be a whole number")
                }
                try target.notify(n)
            }
        case .conditionWait(let condition, let timeout, let name):
            let notified = try sync.object(try resolve(condition, scope), as: Condition.self).wait(timeout: try seconds(timeout, scope, "timeout"))
            if let name { scope.bind(name, .bool(notified)) }
        case .put(let queue, let item, let block, let timeout):
            try sync.put(try resolve(queue, scope), try evaluate(item, scope), block: block, timeout: try seconds(timeout, scope, "timeout"))
        case .get(let queue, let block, let timeout, let name):
            scope.bind(name, try sync.get(try resolve(queue, scope), block: block, timeout: try seconds(timeout, scope, "timeout")))
        case .taskDone(let queue):
            try sync.taskDone(try resolve(queue, scope))
        case .joinQueue(let queue):
            try sync.joinQueue(try resolve(queue, scope))
        case .localSet(let local, let value):
            try sync.object(try resolve(local, scope), as: ThreadLocal<Value>.self).value = try evaluate(value, scope)
        case .localGet(let local, let name):
            scope.bind(name, try sync.object(try resolve(local, scope), as: ThreadLocal<Value>.self).value ?? .none)
        default:
            break
        }
        return .next
    }

    /// An object operand: its name, or (`$variable`) the name a variable holds.
    func resolve(_ operand: String, _ scope: Scope) throws -> String {
        guard operand.hasPrefix("$") else { return operand }
        return try evaluate(.name(String(operand.dropFirst())), scope).description
    }
}
