import CZlib
import Foundation
import FuturesScenario

/// Cookbook 12.8's data: gzip-compressed web server logs, generated (the
/// same for the same seed), and the question it asks of them — which hosts
/// fetched /robots.txt.
enum WebLogs {
    /// A new directory under the system's temporary one (the default place:
    /// a scenario writes nowhere else unless it names a directory).
    static func newTemporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-logs-\(UUID().uuidString)").path
    }

    /// Writes `files` gzip logs of `lines` lines each into `directory`;
    /// returns their paths.
    static func generate(directory: String, files: Int, lines: Int, seed: UInt64) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let pages = ["/index.html", "/about.html", "/robots.txt", "/products/1", "/products/2", "/favicon.ico", "/search?q=swift"]
        return try (0..<files).map { index in
            let path = directory + "/access-\(index).log.gz"
            guard let file = gzopen(path, "wb") else { throw ScenarioRaised(type: "OSError", message: "cannot write \(path)") }
            defer { gzclose(file) }
            for line in 0..<lines {
                let host = "10.\(next(4)).\(next(8)).\(next(64))"
                // /robots.txt is rare: one request in 50.
                let page = next(50) == 0 ? "/robots.txt" : pages[next(pages.count)].replacingOccurrences(of: "/robots.txt", with: "/index.html")
                let text = "\(host) - - [21/Nov/2026:12:\(String(format: "%02d", (line / 60) % 60)):\(String(format: "%02d", line % 60)) +0000] \"GET \(page) HTTP/1.1\" 200 \(512 + next(4096))\n"
                _ = text.withCString { gzputs(file, $0) }
            }
            return path
        }
    }

    /// The hosts that fetched /robots.txt in one gzip log, sorted, and the
    /// number of lines read.
    static func robots(in path: String) throws -> (hosts: [String], lines: Int) {
        guard let file = gzopen(path, "rb") else { throw ScenarioRaised(type: "FileNotFoundError", message: "cannot read \(path)") }
        defer { gzclose(file) }
        var hosts = Set<String>()
        var count = 0
        var buffer = [CChar](repeating: 0, count: 4096)
        while gzgets(file, &buffer, Int32(buffer.count)) != nil {
            count += 1
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard line.contains("\"GET /robots.txt ") else { continue }
            if let space = line.firstIndex(of: " ") { hosts.insert(String(line[..<space])) }
        }
        return (hosts.sorted(), count)
    }
}
