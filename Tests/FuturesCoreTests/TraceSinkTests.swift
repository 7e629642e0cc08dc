import FuturesTrace
import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// A sink that keeps every event, in order.
// @unchecked: `events` is only touched under `lock`.
final class RecordingSink: TraceSink, @unchecked Sendable {
    private let lock = SpinLock()
    private var events: [CoreEvent] = []

    func record(_ event: CoreEvent) { lock.withLock { events.append(event) } }
    var all: [CoreEvent] { lock.withLock { events } }
}

/// The runtime seam's trace: what the core reports, and in which order.
@Suite("Trace sink")
struct TraceSinkTests {
    @Test("a traced runtime reports submit, start on a worker, outcome, cancel, workers and waits, in causal order")
    func tracedPool() async throws {
        let sink = RecordingSink()
        let runtime = NativeRuntime(trace: sink)
        try await withDeadlockAlarm(seconds: 60, runtime: runtime) { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 1, threadNamePrefix: "traced")
            let gate = Future<Void>()
            let first = try pool.submit(label: "first") { () throws -> Int in try gate.result(); return 7 }
            let failing = try pool.submit(label: "failing") { () throws -> Int in throw OSError() }
            let cancelled = try pool.submit(label: "cancelled") { 0 }
            #expect(cancelled.cancel())
            // Open the gate only once this thread's wait is on record, so the
            // order checked below does not depend on timing.
            let waiting = CoreEvent.waitBegan(thread: "MainThread", reason: .future(id: first.id))
            after(.zero) {
                let deadline = currentRuntime.now().advanced(by: .seconds(30))
                while !sink.all.contains(waiting) && currentRuntime.now() < deadline {
                    currentRuntime.sleep(for: .milliseconds(1))
                }
                try gate.setResult(())
            }
            #expect(try first.result() == 7)
            #expect(throws: OSError.self) { try failing.result() }
            pool.shutdown(wait: true)

            #expect([first.id, failing.id, cancelled.id] == [first.id, first.id + 1, first.id + 2])
            #expect(first.id > 0 && gate.id > 0)
            let events = sink.all
            func index(_ event: CoreEvent) -> Int? { events.firstIndex(of: event) }

            let submitted = index(.submitted(future: first.id, executor: "traced", label: "first"))
            let started = index(.started(future: first.id, worker: "traced_0"))
            let returned = index(.returned(future: first.id, outcome: TracedOutcome(description: "7", type: "Int")))
            #expect(submitted != nil && started != nil && returned != nil)
            #expect(submitted! < started! && started! < returned!)

            let raised = index(.raised(future: failing.id, outcome: TracedOutcome(description: "OSError()", type: "OSError")))
            #expect(raised != nil && raised! > returned!)

            #expect(index(.cancelled(future: cancelled.id)) != nil)
            #expect(index(.cancelNotified(future: cancelled.id)) != nil)
            #expect(!events.contains(.started(future: cancelled.id, worker: "traced_0")))

            let waitBegan = index(.waitBegan(thread: "MainThread", reason: .future(id: first.id)))
            #expect(waitBegan != nil && waitBegan! < returned!)
            #expect(events.contains(.waitEnded(thread: "MainThread", reason: .future(id: first.id), timedOut: false)))

            let workerStarted = index(.workerStarted(worker: "traced_0", executor: "traced"))
            let workerExited = index(.workerExited(worker: "traced_0", executor: "traced"))
            #expect(workerStarted != nil && workerExited != nil && workerStarted! < workerExited!)
            #expect(events.contains(.shutdown(executor: "traced", wait: true, cancelFutures: false)))
        }
    }

    @Test("an untraced runtime gives futures no ids and reports nothing")
    func untracedPool() async throws {
        try await RuntimeKind.native.run { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 1)
            defer { pool.shutdown() }
            let future = try pool.submit(label: "x") { 1 }
            #expect(try future.result() == 1)
            #expect(future.id == 0)
            #expect(currentRuntime.trace == nil)
        }
    }
}
