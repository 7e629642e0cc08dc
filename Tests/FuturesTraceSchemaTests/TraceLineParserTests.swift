import Foundation
@testable import FuturesTraceSchema
import Testing

/// The trace line reader is strict JSON: it takes what JSONSerialization
/// takes and refuses what it refuses, on the lines a trace can hold.
@Suite("Trace line parser")
struct TraceLineParserTests {
    static func parse(_ line: String) -> [JSONValue?]? {
        var parsing = LineParsing()
        var copy = line
        let ok = copy.withUTF8 { parsing.parse($0) }
        return ok ? parsing.values : nil
    }

    @Test("accepted and refused lines agree with JSONSerialization", arguments: [
        #"{"seq":1,"t":0.5,"kind":"log"}"#, #"{}"#, #" { "seq" : 1 } "#, #"{"thread":"a\"b\\c\/d\u00e9\ud83d\ude00"}"#,
        #"{"futures":[1,2,3],"gil":true,"label":null}"#, #"{"params":{"a":1,"b":[{"c":{}}]}}"#, #"{"t":-0.0e+3}"#,
        #"{"seq":01}"#, #"{"seq":NaN}"#, #"{"seq":.5}"#, #"{"seq":1.}"#, #"{"a":"\x"}"#, #"{"a":"\ud83d"}"#,
        "{\"a\":\"tab\there\"}", #"[1]"#, #"{"a":1} x"#, #"{"a" 1}"#, #"{a:1}"#, #"{"a":tru}"#, "", #"{"a":"\u12G4"}"#,
    ])
    func agreesWithFoundation(line: String) {
        let foundation = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        #expect((Self.parse(line) != nil) == (foundation != nil), "\(line)")
    }

    @Test("a trailing comma is refused (RFC 8259; Foundation on Linux lets it pass)")
    func trailingComma() {
        #expect(Self.parse(#"{"seq":1,}"#) == nil)
        #expect(Self.parse(#"{"futures":[1,]}"#) == nil)
    }

    @Test("known members land in their slots, unknown ones are dropped, the last of a repeated name counts")
    func slots() throws {
        let values = try #require(Self.parse(#"{"seq":3,"zzz":[1,{"q":2}],"thread":"ThreadPoolExecutor-0_1","seq":4,"t":1e-3}"#))
        guard case .integer(4)? = values[TraceKey.seq.rawValue] else { Issue.record("seq"); return }
        guard case .string("ThreadPoolExecutor-0_1")? = values[TraceKey.thread.rawValue] else { Issue.record("thread"); return }
        guard case .real(let t)? = values[TraceKey.t.rawValue], t == 0.001 else { Issue.record("t"); return }
        #expect(values.compactMap { $0 }.count == 3)
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func depth() {
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(Self.parse(deep) == nil)
        let fine = "{\"a\":" + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
        #expect(Self.parse(fine) != nil)
    }

    @Test("an integer beyond Int is read as a number, and refused where an integer must be")
    func bigIntegers() {
        let read = TraceReader.read("""
            {"format":"futureslab-trace","version":1,"program":"p","runtime":"native","clock":"wall"}
            {"seq":1,"t":0,"kind":"started","future":99999999999999999999,"worker":"w"}

            """, source: "big.jsonl")
        #expect(read.error?.description == "big.jsonl:2: 'future' must be an integer")
    }
}
