import FuturesCore
import FuturesNet

/// The flag downloads of Fluent Python's chapter 20, as a throughput: GETs
/// of the twenty flags, over and over, from a pool of 20 threads, against the
/// LOCAL flag server the parent process runs (the same server for CPython's
/// side), so the figure is the cost of one blocking HTTP GET on a pool thread.
enum NetworkWorkloads {
    static let codes = FlagImages.twenty.map { $0.lowercased() }

    /// GETs a second; every answer must be a saved-size flag.
    static func getsPerSecond(port: Int, requests: Int = 2_000, threads: Int = 20) throws -> Double {
        let pool = try ThreadPoolExecutor(maxWorkers: threads)
        defer { pool.shutdown(wait: true) }
        let base = "http://127.0.0.1:\(port)"
        // Warm up: the pool's threads and the session's connections.
        for future in try (0..<threads).map({ index in try pool.submit { HTTPDownload.get("\(base)/flags/cn/cn.gif", timeout: .seconds(10)) } }) {
            _ = try future.result()
        }
        let start = ContinuousClock.now
        let futures = try (0..<requests).map { index in
            try pool.submit { () -> HTTPDownload.Outcome in
                let code = codes[index % codes.count]
                return HTTPDownload.get("\(base)/flags/\(code)/\(code).gif", timeout: .seconds(10))
            }
        }
        for future in futures {
            let outcome = try future.result()
            guard outcome.status == .ok else { throw RuntimeError("a flag GET failed: \(outcome.detail ?? outcome.status.rawValue)") }
        }
        let elapsed = ContinuousClock.now - start
        return Double(requests) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
