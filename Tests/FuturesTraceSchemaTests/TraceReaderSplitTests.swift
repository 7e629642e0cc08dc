import Foundation
@testable import FuturesTraceSchema
import Testing

/// A long trace is read by two threads, a half each: the same events and the
/// same first problem, at the same line, as reading it through.
@Suite("Trace reading in two halves")
struct TraceReaderSplitTests {
    /// A trace of `futures` submitted, started and returned futures (well over
    /// the two-thread threshold), as lines.
    static func lines(futures: Int) -> [String] {
        var header = TraceHeader(program: "split", runtime: .native)
        header.title = "split"
        var events: [TraceEvent] = []
        for id in 1...UInt64(futures) {
            let time = id * 1_000
            events.append(TraceEvent(seq: events.count + 1, nanoseconds: time, thread: "MainThread", .submitted(future: id, executor: "ThreadPoolExecutor-0", label: "task(\(id))")))
            events.append(TraceEvent(seq: events.count + 1, nanoseconds: time + 10, thread: "ThreadPoolExecutor-0_0", .started(future: id, worker: "ThreadPoolExecutor-0_0")))
            events.append(TraceEvent(seq: events.count + 1, nanoseconds: time + 20, thread: "ThreadPoolExecutor-0_0", .returned(future: id, result: "\(id * id)", type: "int")))
        }
        return TraceWriter.file(header: header, events: events).split(separator: "\n").map(String.init)
    }

    static func read(_ lines: [String]) -> (split: ReadTrace, through: ReadTrace) {
        let text = lines.joined(separator: "\n") + "\n"
        var copy = text
        let through = copy.withUTF8 { TraceReader.readLines($0, source: "t.jsonl", linesBefore: 0) }
        return (TraceReader.read(text, source: "t.jsonl"), through)
    }

    /// The line the second half starts with (as `read(bytes:)` cuts).
    static func firstLineOfSecondHalf(_ lines: [String]) -> Int {
        let text = lines.joined(separator: "\n") + "\n"
        let middle = text.utf8.count / 2
        var offset = 0
        for (index, line) in lines.enumerated() {
            offset += line.utf8.count + 1
            if offset > middle { return index + 2 }
        }
        return lines.count
    }

    static let base = lines(futures: 60_000)

    @Test("a whole long trace: the same events")
    func whole() {
        #expect(Self.base.joined().utf8.count > TraceReader.parallelBytes)
        let (split, through) = Self.read(Self.base)
        #expect(split.error == nil && through.error == nil)
        #expect(split.header == through.header && split.events == through.events && split.events.count == 180_000)
    }

    @Test("a bad line in either half, and a break at the seam: the same problem at the same line, the events before it kept",
          arguments: [100, 0, 1, 150_000])
    func problems(offset: Int) {
        var lines = Self.base
        let seam = Self.firstLineOfSecondHalf(lines)  // 1-based
        let target = offset == 0 ? seam : offset == 1 ? seam - 1 : offset
        lines[target - 1] = lines[target - 1].replacingOccurrences(of: "\"seq\":", with: "\"seq\":9")
        let (split, through) = Self.read(lines)
        #expect(split.error != nil && split.error == through.error, "line \(target): \(String(describing: split.error)) vs \(String(describing: through.error))")
        #expect(split.error?.line == target)
        #expect(split.events == through.events)
    }
}
