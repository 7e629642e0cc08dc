import FuturesCore
import FuturesSync
import Testing

@Suite("Actors, publish/subscribe, the actor scheduler (Cookbook 12.10–12.12)")
struct MessagingTests {
    @Test("actor: messages taken in order by its own thread; close lets earlier messages through, then ends it; join waits", arguments: Runtimes.allCases)
    func printActor(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let seen = Box<[String]>([])
            let printer = ActorThread<String>(name: "printer") { actor in
                while true {
                    let message = try actor.receive()
                    seen.update { $0.append("\(ThreadContext.current.name): \(message)") }
                }
            }
            try printer.start()
            try printer.send("Hello")
            try printer.send("World")
            try printer.close()
            #expect(try printer.join(timeout: .seconds(30)))
            #expect(seen.value == ["printer: Hello", "printer: World"])
            #expect(printer.error == nil)
            #expect(throws: RuntimeError("send to a closed actor 'printer'")) { try printer.send("late") }
            #expect(throws: RuntimeError("actors can only be started once")) { try printer.start() }
        }
    }

    @Test("tagged actor: the tag picks the handler; an unknown tag ends the actor with AttributeError", arguments: Runtimes.allCases)
    func taggedActor(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let seen = Box<[String]>([])
            let actor = ActorThread<Tagged<Int>>.tagged(name: "A", handlers: [
                "A": { payload in seen.update { $0.append("Running A \(payload[0])") } },
                "B": { payload in seen.update { $0.append("Running B \(payload[0]) \(payload[1])") } },
            ])
            try actor.start()
            try actor.send(Tagged("A", [1]))
            try actor.send(Tagged("B", [2, 3]))
            try actor.send(Tagged("C", []))
            #expect(try actor.join(timeout: .seconds(30)))
            #expect(seen.value == ["Running A 1", "Running B 2 3"])
            #expect(actor.error as? AttributeError == AttributeError("'TaggedActor' object has no attribute 'do_C'"))
        }
    }

    @Test("worker actor: submit returns a future resolved by the actor's thread; an error fails only that call", arguments: Runtimes.allCases)
    func workerActor(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let worker = WorkerActor(name: "worker")
            try worker.start()
            let sum = try worker.submit(label: "add(2, 3)") { 2 + 3 }
            let failing = try worker.submit { () throws -> Int in throw ValueError("boom") }
            let thread = try worker.submit { ThreadContext.current.name }
            #expect(try sum.result(timeout: .seconds(30)) == 5)
            #expect(try failing.exception(timeout: .seconds(30)) as? ValueError == ValueError("boom"))
            #expect(try thread.result() == "worker")
            try worker.close()
            #expect(try worker.join(timeout: .seconds(30)))
            #expect(throws: RuntimeError("send to a closed actor 'worker'")) { _ = try worker.submit { 1 } }
        }
    }

    @Test("exchange: send reaches every attached subscriber; detach stops it; subscribe detaches even when its block throws; detaching a stranger raises", arguments: Runtimes.allCases)
    func exchange(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let exchange = Exchange<String>(name: "spam")
            let a = Queue<String>(name: "a"), b = Queue<String>(name: "b")
            exchange.attach(a)
            #expect(try exchange.send("one") == 1)
            let reached = try exchange.subscribe([b]) { try exchange.send("two") }
            #expect(reached == 2)
            #expect(throws: ValueError("boom")) {
                try exchange.subscribe([b]) { throw ValueError("boom") }
            }
            #expect(exchange.subscriberCount == 1)
            try exchange.detach(a)
            #expect(try exchange.send("three") == 0)
            #expect(throws: ValueError("detach: not a subscriber of exchange 'spam'")) { try exchange.detach(b) }
            #expect(try a.get(block: false) == "one")
            #expect(try a.get(block: false) == "two")
            #expect(throws: Empty.self) { try a.get(block: false) }
            #expect(try b.get(block: false) == "two")
            #expect(throws: Empty.self) { try b.get(block: false) }
        }
    }

    @Test("actor scheduler: the recipe's counter and printer; actors waiting at the end are closed with GeneratorExit", arguments: Runtimes.allCases)
    func actorScheduler(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let scheduler = ActorScheduler<Int>()
            let printed = Box<[Int]>([])
            let closed = Box(false)
            scheduler.newActor(named: "printer") { inbox in
                do {
                    while true { let n = try inbox.receive(); printed.update { $0.append(n) } }
                } catch is GeneratorExit {
                    closed.update { $0 = true }
                    throw GeneratorExit()
                }
            }
            scheduler.newActor(named: "counter") { inbox in
                while true {
                    let n = try inbox.receive()
                    if n == 0 { break }
                    scheduler.send(to: "printer", n)
                    scheduler.send(to: "counter", n - 1)
                }
            }
            scheduler.send(to: "counter", 5)
            scheduler.send(to: "nobody", 1)
            try scheduler.run()
            #expect(printed.value == [5, 4, 3, 2, 1])
            #expect(closed.value)
        }
    }
}
