import FuturesProcess
import Testing

/// The seed's CPU workloads compute the real thing: known test vectors.
@Suite("CPU workloads")
struct CPUWorkTests {
    @Test("SHA-256 of '', 'abc' and a two-block message (FIPS 180-4 vectors)")
    func sha256() {
        #expect(CPUWork.sha256([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(CPUWork.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(CPUWork.sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("RC4 with key 'Key' over 'Plaintext' (the classic vector)")
    func rc4() {
        let output = CPUWork.rc4(Array("Plaintext".utf8), key: Array("Key".utf8))
        #expect(output == [0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3])
    }
}
