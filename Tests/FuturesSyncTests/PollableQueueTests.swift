import FuturesCore
import FuturesSync
import FuturesTraceSchema
import Testing

@Suite("Pollable queues and select (Cookbook 12.13)")
struct PollableQueueTests {
    @Test("select over three pollable queues and a loopback socket: a consumer gets every item, from whichever is ready", arguments: Runtimes.allCases)
    func consumerGetsEveryItem(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let queues = try (1...3).map { try PollableQueue<Int>(name: "q\($0)") }
            let socket = try DatagramSocket(name: "sock")
            let sender = try DatagramSocket(name: "sender")
            let got = Box<[Int]>([])
            let consumer = try currentRuntime.startThread(named: "consumer") {
                do {
                    while got.value.count < 13 {
                        for ready in try select(queues + [socket]) {
                            if let queue = ready as? PollableQueue<Int> {
                                let item = try queue.get(block: false)
                                got.update { $0.append(item) }
                            } else if let bytes = try socket.receiveNow() {
                                got.update { $0.append(Int(bytes[0]) + 100) }
                            }
                        }
                    }
                } catch { Issue.record("consumer: \(error)") }
            }
            for (index, queue) in queues.enumerated() {
                for item in 0..<3 { try queue.put(index * 10 + item) }
                currentRuntime.sleep(for: .milliseconds(5))
            }
            for byte in 0..<4 { try sender.send([UInt8(byte)], to: socket) }
            consumer.join()
            #expect(got.value.sorted() == [0, 1, 2, 10, 11, 12, 20, 21, 22, 100, 101, 102, 103])
        }
    }

    @Test("the descriptor is readable exactly while the queue holds items", arguments: Runtimes.allCases)
    func readableWhileNotEmpty(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let queue = try PollableQueue<String>(name: "q")
            #expect(try select([queue], timeout: .zero).isEmpty)
            try queue.put("a")
            try queue.put("b")
            #expect(try select([queue], timeout: .zero).count == 1)
            _ = try queue.get()
            #expect(try select([queue], timeout: .zero).count == 1)
            _ = try queue.get()
            #expect(try select([queue], timeout: .zero).isEmpty)
            // Far more items than a socket buffer holds bytes of the recipe's kind.
            for item in 0..<5_000 { try queue.put("\(item)") }
            #expect(queue.qsize == 5_000)
        }
    }

    @Test("a timed select with nothing ready returns empty after the timeout", arguments: Runtimes.allCases)
    func timedSelect(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let queue = try PollableQueue<Int>(name: "q")
            let start = currentRuntime.now()
            #expect(try select([queue], timeout: .milliseconds(30)).isEmpty)
            #expect(start.duration(until: currentRuntime.now()) >= .milliseconds(29))
        }
    }

    @Test("a select that nothing will ever wake is a deadlock: reported, not a hang (deterministic)")
    func selectNobodyWakes() throws {
        let runtime = DeterministicRuntime(seed: 1)
        try runtime.run { () throws in
            let queue = try PollableQueue<Int>(name: "lonely")
            #expect(throws: DeadlockError.self) { _ = try select([queue]) }
        }
        #expect(runtime.deadlocks.count == 1)
        #expect(runtime.deadlocks.first?.description.contains("select lonely") == true)
    }

    @Test("a put on a closed pollable queue raises; items put before can still be taken", arguments: Runtimes.allCases)
    func closed(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let queue = try PollableQueue<Int>(name: "q")
            try queue.put(1)
            queue.close()
            #expect(throws: ValueError("put on a closed pollable queue 'q'")) { try queue.put(2) }
            #expect(throws: ValueError("select on a closed pollable queue 'q'")) { _ = try select([queue]) }
            #expect(try queue.get() == 1)
        }
    }

    @Test("a datagram socket binds 127.0.0.1 on an ephemeral port; receive with a timeout gives nil when nothing came", arguments: Runtimes.allCases)
    func datagramSocket(runtime: Runtimes) throws {
        try runtime.run { () throws in
            let a = try DatagramSocket(name: "a")
            let b = try DatagramSocket(name: "b")
            #expect(a.port != 0 && a.port != b.port)
            #expect(try b.receive(timeout: .milliseconds(10)) == nil)
            try a.send(Array("hello".utf8), to: b)
            #expect(try b.receive(timeout: .seconds(5)) == Array("hello".utf8))
            b.close()
            #expect(throws: ValueError("select on a closed socket 'b'")) { try a.send([1], to: b) }
        }
    }
}

@Suite("Native select and the watchdog")
struct NativeSelectWatchdogTests {
    @Test("natively, a select nothing will wake is reported by the watchdog as stuck, not hung; a put then releases it")
    func reported() throws {
        let reports = Box<[DeadlockReport]>([])
        let runtime = NativeRuntime(watchdog: .milliseconds(200)) { report in reports.update { $0.append(report) } }
        let queue = try PollableQueue<Int>(name: "silent")
        let got = Box<[Int]>([])
        let thread = try runtime.startThread(named: "selector") {
            do {
                _ = try select([queue])
                got.update { $0.append(try! queue.get(block: false)) }
            } catch { Issue.record("\(error)") }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while reports.value.isEmpty, ContinuousClock.now < deadline { NativeRuntime.shared.sleep(for: .milliseconds(20)) }
        let report = try #require(reports.value.first, "no deadlock reported")
        #expect(report.kind == .stuck)
        #expect(report.blocked.map(\.name) == ["selector"])
        #expect(report.description.contains("select silent"))
        try queue.put(7)
        thread.join()
        #expect(got.value == [7])
    }
}
