import Foundation

/// CPython's side of the benchmark: the same workloads on
/// `concurrent.futures.ThreadPoolExecutor`, run by the interpreter on this
/// machine in the same invocation, so the ratios compare like with like.
enum CPythonBaseline {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(python: String, tasks: Int, roundTrips: Int, pending: Int, workers: Int, repeats: Int) throws -> [(String, Double)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script, "\(tasks)", "\(roundTrips)", "\(pending)", "\(workers)", "\(repeats)"]
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw Failure(description: "could not start \(python): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(python) exited with status \(process.terminationStatus)")
        }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "\(python) printed no JSON object")
        }
        return object.compactMap { key, value in
            (value as? NSNumber).map { (key, $0.doubleValue) }
        }.sorted { $0.0 < $1.0 }
    }

    /// The measurements, in Python; argv: tasks, round trips, pending, workers, repeats.
    static let script = #"""
import json, os, statistics, sys, threading, time
from concurrent.futures import ThreadPoolExecutor, wait

tasks, round_trips, pending, workers, repeats = map(int, sys.argv[1:6])

def noop():
    return None

def ident(x):
    return x

def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')

out = {'python_version': float('%d.%d' % sys.version_info[:2])}

# Memory first, while the heap is fresh.
gate = threading.Event()
ex = ThreadPoolExecutor(1)
blocker = ex.submit(gate.wait)
while not blocker.running():
    time.sleep(0.001)
fs = []
before = rss()
fs = [ex.submit(noop) for _ in range(pending)]
after = rss()
out['bytes_per_pending_future'] = (after - before - 8 * pending) / pending
gate.set()
ex.shutdown(wait=True)
del fs

def submit_wait():
    ex = ThreadPoolExecutor(workers)
    start = time.perf_counter()
    fs = [ex.submit(noop) for _ in range(tasks)]
    wait(fs)
    elapsed = time.perf_counter() - start
    ex.shutdown(wait=True)
    return tasks / elapsed

def map_all():
    ex = ThreadPoolExecutor(workers)
    start = time.perf_counter()
    results = list(ex.map(ident, range(tasks)))
    elapsed = time.perf_counter() - start
    ex.shutdown(wait=True)
    assert len(results) == tasks
    return tasks / elapsed

out['tp_submit_wait_per_s'] = statistics.median(submit_wait() for _ in range(repeats))
out['tp_map_per_s'] = statistics.median(map_all() for _ in range(repeats))

ex = ThreadPoolExecutor(workers)
for _ in range(1000):
    ex.submit(noop).result()
samples = []
for _ in range(round_trips):
    start = time.perf_counter_ns()
    ex.submit(noop).result()
    samples.append(time.perf_counter_ns() - start)
ex.shutdown(wait=True)
samples.sort()
out['rtt_median_us'] = samples[len(samples) // 2] / 1000
out['rtt_p99_us'] = samples[min(len(samples) - 1, len(samples) * 99 // 100)] / 1000
print(json.dumps(out))
"""#
}
