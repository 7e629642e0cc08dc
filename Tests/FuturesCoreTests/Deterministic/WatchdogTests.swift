import FuturesTrace
import FuturesTraceSchema
import Testing
@testable import FuturesCore

/// The native runtime's watchdog: reports a deadlock and releases its waits.
@Suite("Native watchdog")
struct WatchdogTests {
    @Test("two futures waiting on each other on real threads: the watchdog reports the cycle after the threshold and releases every wait in it with DeadlockError, as the deterministic runtime does; the threads go on")
    func nativeMutualWait() async throws {
        let reported = Future<DeadlockReport>()
        let recorder = RecordingSink()
        let runtime = NativeRuntime(trace: recorder, watchdog: .milliseconds(200)) { report in
            try? reported.setResult(report)
        }
        try await withDeadlockAlarm(seconds: 60, runtime: runtime) { () throws in
            let pool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "native")
            let second = Future<Future<Int>>()
            let first = try pool.submit(label: "a") { () throws -> Int in try second.result().result() + 1 }
            try second.setResult(try pool.submit(label: "b") { () throws -> Int in try first.result() + 1 })

            // Every thread of the runtime now waits, untimed: this one too, and is released with the others.
            #expect(throws: DeadlockError.self) { try first.result() }
            let report = try reported.result()
            #expect(report.kind == .cycle)
            #expect(Set(report.cycle) == ["native_0", "native_1"] && report.cycle.count == 3)
            #expect(report.time >= 0.2)
            let other = try second.result()
            #expect(throws: DeadlockError.self) { try other.result() }
            pool.shutdown(wait: true)
        }
        #expect(recorder.all.contains { event in if case CoreEvent.deadlock = event { true } else { false } })
    }

    @Test("no report while a thread still works or waits with a timeout")
    func noFalseAlarm() async throws {
        let reports = Log<DeadlockReport>()
        let runtime = NativeRuntime(watchdog: .milliseconds(100)) { reports.append($0) }
        try await withDeadlockAlarm(seconds: 60, runtime: runtime) { () throws in
            try ThreadPoolExecutor(maxWorkers: 2).scoped { pool in
                let slow = try pool.submit { () -> Int in currentRuntime.sleep(for: .milliseconds(500)); return 1 }
                #expect(try slow.result(timeout: .seconds(5)) == 1)
                let gate = Future<Void>()
                let waiting = try pool.submit { try gate.result(timeout: .milliseconds(600)) }
                #expect(throws: TimeoutError.self) { try waiting.result() }
            }
        }
        #expect(reports.all.isEmpty)
    }
}
