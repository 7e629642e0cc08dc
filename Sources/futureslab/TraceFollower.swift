import Foundation
import FuturesTraceSchema
#if canImport(Glibc)
import Glibc
#endif

/// A trace file read as it is written (`attach`): each `poll` reads only
/// the bytes appended since the last one and parses the whole lines among
/// them; a line not yet finished waits for the next poll.
final class TraceFollower {
    let path: String
    private var descriptor: Int32 = -1
    private var pending: [UInt8] = []
    private var lineNumber = 0
    private(set) var trace = ReadTrace(header: nil, events: [], error: nil)
    /// Bytes read so far (the file offset).
    private(set) var offset = 0

    init(path: String) {
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether the trace says its run is over: `ended` or `aborted` (a
    /// deterministic run's `schedule` line comes after `ended`).
    private(set) var isComplete = false
    /// Events a view has taken so far (`takeNew`).
    private var taken = 0

    /// The events parsed since the last call: a live view applies only these.
    func takeNew() -> [TraceEvent] {
        defer { taken = trace.events.count }
        return Array(trace.events[taken...])
    }

    /// Reads what was appended; returns whether anything new was parsed.
    @discardableResult
    func poll() -> Bool {
        if descriptor < 0 {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor < 0 { return false }
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var grew = false
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            offset += count
            pending.append(contentsOf: chunk[..<count])
            grew = true
        }
        guard grew, let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { return false }
        let complete = pending[...lastNewline]
        let before = trace.events.count
        let hadHeader = trace.header != nil
        for line in complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            guard let text = String(validating: line, as: UTF8.self) else {
                lineNumber += 1
                trace.error = TraceReadError(source: path, line: lineNumber, message: "not UTF-8 text")
                break
            }
            TraceReader.append(line: Substring(text), to: &trace, number: &lineNumber, source: path)
            if trace.error != nil { break }
            if trace.events.count > before, let kind = trace.events.last?.kind, kind == .ended || kind == .aborted { isComplete = true }
        }
        pending.removeSubrange(...lastNewline)
        return trace.events.count != before || trace.header != nil && !hadHeader || trace.error != nil
    }
}
