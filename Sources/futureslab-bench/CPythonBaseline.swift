import Foundation

/// CPython's side of the benchmark: the same workloads on
/// `concurrent.futures.ThreadPoolExecutor`, run by the interpreter on this
/// machine in the same invocation, so the ratios compare like with like.
enum CPythonBaseline {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs each CPython workload in an interpreter of its own (as ours run).
    /// The workloads CPython has a side of (named as ours).
    static let workloads = ["memory", "submit-wait", "map", "round-trip", "process", "network"]

    /// `network` needs `flagServerPort`: the flag downloads against that server.
    static func run(_ workloads: [String], python: String, tasks: Int, roundTrips: Int, pending: Int, workers: Int, repeats: Int,
                    flagServerPort: Int? = nil) throws -> [(String, Double)] {
        var all: [(String, Double)] = []
        for workload in workloads where workload != "network" || flagServerPort != nil {
            all += try ChildProcess.runJSON(
                executable: "/usr/bin/env",
                arguments: [python, "-c", script, workload, "\(tasks)", "\(roundTrips)", "\(pending)", "\(workers)", "\(repeats)",
                            "\(flagServerPort ?? 0)"],
                label: "\(python) (CPython workload \(workload))")
        }
        return all
    }

    /// The measurements, in Python; argv: workload, tasks, round trips, pending, workers, repeats.
    static let script = #"""
import json, os, statistics, sys, threading, time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, wait

workload = sys.argv[1]
tasks, round_trips, pending, workers, repeats = map(int, sys.argv[2:7])

def noop():
    return None

def ident(x):
    return x

def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')

out = {'python_version': float('%d.%d' % sys.version_info[:2])}

def memory():
    gate = threading.Event()
    ex = ThreadPoolExecutor(1)
    blocker = ex.submit(gate.wait)
    while not blocker.running():
        time.sleep(0.001)
    before = rss()
    fs = [ex.submit(noop) for _ in range(pending)]
    after = rss()
    out['bytes_per_pending_future'] = (after - before - 8 * pending) / pending
    gate.set()
    ex.shutdown(wait=True)

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

def round_trip():
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

def square(x):
    return x * x

def process_pool():
    # Same as ours: 20,000 submits of square() then wait, 2,000 round trips,
    # then map(chunksize=64).
    rates = []
    for _ in range(repeats):
        ex = ProcessPoolExecutor(workers)
        ex.submit(square, 1).result()
        start = time.perf_counter()
        fs = [ex.submit(square, i) for i in range(20000)]
        wait(fs)
        rates.append(20000 / (time.perf_counter() - start))
        ex.shutdown(wait=True)
    out['pp_submit_wait_per_s'] = statistics.median(rates)
    ex = ProcessPoolExecutor(workers)
    for _ in range(200):
        ex.submit(square, 1).result()
    samples = []
    for i in range(2000):
        start = time.perf_counter_ns()
        ex.submit(square, i).result()
        samples.append(time.perf_counter_ns() - start)
    ex.shutdown(wait=True)
    samples.sort()
    out['pp_rtt_median_us'] = samples[len(samples) // 2] / 1000
    # map(chunksize=64) of square() over 200,000 integers, as ours.
    rates = []
    for _ in range(repeats):
        ex = ProcessPoolExecutor(workers)
        ex.submit(square, 1).result()
        start = time.perf_counter()
        results = list(ex.map(square, range(200000), chunksize=64))
        rates.append(200000 / (time.perf_counter() - start))
        ex.shutdown(wait=True)
        assert results[-1] == 199999 * 199999
    out['pp_map_chunked_per_s'] = statistics.median(rates)

def network():
    # Fluent Python's download_one with urllib (a new connection a GET, as
    # httpx.get makes one): 2,000 GETs of the twenty flags on a pool of 20,
    # against the benchmark's LOCAL flag server.
    import urllib.request
    port = int(sys.argv[7])
    codes = ['cn', 'in', 'us', 'id', 'br', 'pk', 'ng', 'bd', 'ru', 'jp', 'mx', 'ph', 'vn', 'et', 'eg', 'de', 'ir', 'tr', 'cd', 'fr']
    def get(i):
        cc = codes[i % len(codes)]
        with urllib.request.urlopen(f'http://127.0.0.1:{port}/flags/{cc}/{cc}.gif', timeout=10) as response:
            assert response.status == 200
            return len(response.read())
    rates = []
    for _ in range(repeats):
        with ThreadPoolExecutor(20) as ex:
            list(ex.map(get, range(20)))
            start = time.perf_counter()
            list(ex.map(get, range(2000)))
            rates.append(2000 / (time.perf_counter() - start))
    out['net_get_per_s'] = statistics.median(rates)

if __name__ != '__main__':
    pass
elif workload == 'memory':
    memory()
elif workload == 'submit-wait':
    out['tp_submit_wait_per_s'] = statistics.median(submit_wait() for _ in range(repeats))
elif workload == 'map':
    out['tp_map_per_s'] = statistics.median(map_all() for _ in range(repeats))
elif workload == 'round-trip':
    round_trip()
elif workload == 'process':
    process_pool()
elif workload == 'network':
    network()
else:
    sys.exit('unknown workload ' + workload)
print(json.dumps(out))
"""#
}
