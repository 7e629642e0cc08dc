import FuturesCore
import FuturesSync
import FuturesTraceSchema
import Testing

/// The runtimes every primitive must work in.
enum Runtimes: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case native, deterministic
    var testDescription: String { rawValue }

    func run(_ body: @escaping @Sendable () throws -> Void) throws {
        switch self {
        case .native: try body()
        case .deterministic: try DeterministicRuntime(seed: 3).run { try body() }
        }
    }
}

/// Starts `count` threads of the current runtime running `body(index)` and joins them.
func threads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
    let failures = Box<[String]>([])
    let started = try (0..<count).map { index in
        try currentRuntime.startThread(named: "T\(index)") {
            do { try body(index) } catch { failures.update { $0.append("\(error)") } }
        }
    }
    started.forEach { $0.join() }
    #expect(failures.value.isEmpty, "\(failures.value)")
}

/// A value shared by test threads.
final class Box<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = SpinLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

@Suite("Cookbook primitives")
struct PrimitivesTests {
    @Test("Lock: mutual exclusion (no lost update), non-blocking and timed acquire, releasing an unheld lock raises", arguments: Runtimes.allCases)
    func lock(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let lock = Lock(name: "counter")
            let counter = Box(0)
            try threads(4) { _ in
                for _ in 0..<200 {
                    try lock.withLock {
                        let seen = counter.value
                        _ = currentRuntime.spin(upTo: .zero) { false }  // a scheduling point inside
                        counter.update { $0 = seen + 1 }
                    }
                }
            }
            #expect(counter.value == 800)
            try lock.acquire()
            let other = Box<[Bool]>([])
            try threads(1) { _ in
                let immediate = try lock.acquire(blocking: false)
                let timed = try lock.acquire(timeout: .milliseconds(20))
                other.update { $0 = [immediate, timed] }
            }
            #expect(other.value == [false, false])
            try lock.release()
            #expect(throws: RuntimeError("release unlocked lock")) { try lock.release() }
        }
    }

    @Test("RLock: the owner takes it again; others wait; a non-owner's release raises", arguments: Runtimes.allCases)
    func rlock(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let lock = RLock(name: "r")
            try lock.acquire()
            try lock.acquire()
            try threads(1) { _ in
                let taken = try lock.acquire(blocking: false)
                #expect(taken == false)
                #expect(throws: RuntimeError("cannot release un-acquired lock")) { try lock.release() }
            }
            try lock.release()
            try lock.release()
            try threads(1) { _ in
                let taken = try lock.acquire(blocking: false)
                #expect(taken)
                try lock.release()
            }
        }
    }

    @Test("two threads taking x, y in opposite orders deadlock: found, cycle reported, released (deterministic)")
    func lockOrderingDeadlock() throws {
        let runtime = DeterministicRuntime(seed: 1)
        let outcomes = Box<[String]>([])
        try runtime.run { () throws in
            let x = Lock(name: "x"), y = Lock(name: "y")
            try threads(2) { index in
                let (first, second) = index == 0 ? (x, y) : (y, x)
                do {
                    try first.withLock {
                        currentRuntime.sleep(for: .milliseconds(1))
                        try second.withLock { outcomes.update { $0.append("done") } }
                    }
                } catch is DeadlockError {
                    outcomes.update { $0.append("deadlock") }
                }
            }
        }
        let report = try #require(runtime.deadlocks.first)
        #expect(report.kind == .cycle)
        #expect(Set(report.cycle) == ["T0", "T1"])
        #expect(report.description.contains("lock x, held by"))
        #expect(outcomes.value.contains("deadlock"))
    }

    @Test("ordered acquire: opposite orders never deadlock; a nested out-of-order acquire raises 'Lock Order Violation'", arguments: Runtimes.allCases)
    func orderedLocks(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let x = Lock(name: "x"), y = Lock(name: "y")
            let done = Box(0)
            try threads(2) { index in
                for _ in 0..<20 {
                    try OrderedLocks.acquire(index == 0 ? [x, y] : [y, x]) { done.update { $0 += 1 } }
                }
            }
            #expect(done.value == 40)
            #expect(throws: RuntimeError("Lock Order Violation")) {
                try OrderedLocks.acquire([y]) { try OrderedLocks.acquire([x]) {} }
            }
            #expect(!x.locked && !y.locked)
        }
    }

    @Test("Event: wait returns once set (every waiter); a timed wait on an unset event returns false", arguments: Runtimes.allCases)
    func event(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let started = Event(name: "started")
            let log = Box<[String]>([])
            try threads(3) { index in
                if index == 0 {
                    currentRuntime.sleep(for: .milliseconds(20))
                    log.update { $0.append("set") }
                    started.set()
                } else {
                    let set = try started.wait(timeout: .seconds(10))
                    #expect(set)
                    log.update { $0.append("woke") }
                }
            }
            #expect(log.value.first == "set" && log.value.count == 3)
            let unset = try Event().wait(timeout: .milliseconds(10))
            #expect(unset == false)
        }
    }

    @Test("Condition: notify wakes one, notify_all every waiter, wait_for times out, waiting without the lock raises", arguments: Runtimes.allCases)
    func condition(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let condition = Condition(name: "ticks")
            let ready = Box(0), woken = Box(0)
            try threads(4) { index in
                if index == 3 {
                    while ready.value < 3 { currentRuntime.sleep(for: .milliseconds(1)) }
                    try condition.withLock { try condition.notify() }
                    currentRuntime.sleep(for: .milliseconds(20))
                    #expect(woken.value == 1)
                    try condition.withLock { try condition.notifyAll() }
                } else {
                    try condition.withLock {
                        ready.update { $0 += 1 }
                        try condition.wait(timeout: .seconds(10))
                        woken.update { $0 += 1 }
                    }
                }
            }
            #expect(woken.value == 3)
            let satisfied = try condition.withLock { try condition.waitFor(timeout: .milliseconds(10)) { false } }
            #expect(satisfied == false)
            #expect(throws: RuntimeError("cannot wait on un-acquired lock")) { try condition.wait() }
        }
    }

    @Test("Semaphore: at most n at once; BoundedSemaphore released too often raises; a negative value raises", arguments: Runtimes.allCases)
    func semaphore(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let gate = try Semaphore(2)
            let inside = Box(0), most = Box(0)
            try threads(5) { _ in
                try gate.acquire()
                inside.update { $0 += 1 }
                most.update { $0 = max($0, inside.value) }
                currentRuntime.sleep(for: .milliseconds(5))
                inside.update { $0 -= 1 }
                try gate.release()
            }
            #expect(most.value == 2)
            let bounded = try Semaphore(1, bounded: true)
            #expect(throws: ValueError("Semaphore released too many times")) { try bounded.release() }
            #expect(throws: ValueError("semaphore initial value must be >= 0")) { try Semaphore(-1) }
            let acquired = try Semaphore(0).acquire(timeout: .milliseconds(5))
            #expect(acquired == false)
        }
    }

    @Test("Queue: FIFO, maxsize blocks put, Full / Empty without waiting or after a timeout, task_done / join, too many task_done raises", arguments: Runtimes.allCases)
    func queue(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let queue = Queue<Int>(maxsize: 2, name: "q")
            try queue.put(1)
            try queue.put(2)
            #expect(throws: Full()) { try queue.putNowait(3) }
            #expect(throws: Full()) { try queue.put(3, timeout: .milliseconds(5)) }
            let got = Box<[Int]>([])
            try threads(2) { index in
                if index == 0 {
                    try queue.put(3)  // waits for room
                } else {
                    for _ in 0..<3 {
                        let item = try queue.get()
                        got.update { $0.append(item) }
                        try queue.taskDone()
                    }
                }
            }
            #expect(got.value == [1, 2, 3])
            try queue.join()
            #expect(throws: Empty()) { try queue.getNowait() }
            #expect(throws: Empty()) { try queue.get(timeout: .milliseconds(5)) }
            #expect(throws: ValueError("task_done() called too many times")) { try queue.taskDone() }
            let priority = Queue<Int>.priority()
            for item in [5, 1, 4, 2, 3] { try priority.put(item) }
            let ordered = try (0..<5).map { _ in try priority.get() }
            #expect(ordered == [1, 2, 3, 4, 5])
        }
    }

    @Test("ThreadLocal: each thread sees its own value", arguments: Runtimes.allCases)
    func threadLocal(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let local = ThreadLocal<Int>()
            local.value = -1
            try threads(3) { index in
                #expect(local.value == nil)
                local.value = index
                currentRuntime.sleep(for: .milliseconds(2))
                #expect(local.value == index)
            }
            #expect(local.value == -1)
        }
    }

    @Test("cooperative scheduler: round-robin between yields, one task at a time; yield outside a task raises", arguments: Runtimes.allCases)
    func cooperative(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let log = Box<[String]>([])
            let scheduler = CooperativeScheduler()
            for (name, count) in [("a", 3), ("b", 1), ("c", 2)] {
                scheduler.spawn(named: name) {
                    for step in 0..<count {
                        log.update { $0.append("\(name)\(step)") }
                        try CooperativeScheduler.yield()
                    }
                }
            }
            try scheduler.run()
            #expect(log.value == ["a0", "b0", "c0", "a1", "c1", "a2"])
            #expect(throws: RuntimeError("yield outside a cooperative task")) { try CooperativeScheduler.yield() }
        }
    }
}
