import Foundation
@testable import FuturesProcess
import Testing

/// Arguments and results cross as JSON; an Int takes a short cut that must
/// write and read exactly what JSONEncoder and JSONDecoder would.
@Suite("Wire codec")
struct WireCodecTests {
    @Test("an Int is the bytes JSONEncoder writes, and reads back", arguments: [0, 1, -1, 42, Int.max, Int.min, 1_000_000_007])
    func integers(value: Int) throws {
        let bytes = try WireCodec.encode(value)
        #expect(bytes == (try JSONEncoder().encode(value)))
        #expect(try WireCodec.decode(Int.self, from: bytes) == value)
    }

    @Test("what is not an integer's text still fails with the decoder's words")
    func notAnInteger() {
        #expect(throws: PicklingError.self) { try WireCodec.decode(Int.self, from: Data("\"7\"".utf8)) }
        #expect(throws: PicklingError.self) { try WireCodec.decode(Int.self, from: Data("99999999999999999999".utf8)) }
        #expect((try? WireCodec.decode(Int.self, from: Data("7.0".utf8))) == 7)
    }
}
