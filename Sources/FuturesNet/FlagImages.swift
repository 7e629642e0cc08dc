/// The flag server's pictures: a small GIF per country code, generated
/// rather than shipped (the experiment is about waiting for the network, not
/// about the images). Each is a valid 16×11 GIF89a in two colours derived
/// from the code, with a comment naming it, so a saved file opens in any
/// viewer and two codes never share bytes.
public enum FlagImages {
    /// The codes the server has flags for: Fluent Python's twenty most
    /// populous countries first, then more, as its flags2 examples use.
    public static let knownCodes: [String] = [
        "CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP", "MX", "PH", "VN", "ET", "EG", "DE", "IR", "TR", "CD", "FR",
        "TH", "GB", "IT", "ZA", "MM", "KR", "CO", "ES", "UA", "TZ", "AR", "KE", "PL", "DZ", "CA", "UG", "MA", "PE", "IQ", "AF",
        "NP", "MY", "UZ", "VE", "SA", "GH", "YE", "MZ", "KP", "AU", "CI", "CM", "TW", "NE", "LK", "RO", "MW", "ML", "KZ", "SY",
        "CL", "ZM", "NL", "EC", "GT", "SN", "KH", "TD", "SO", "ZW", "GN", "RW", "BJ", "TN", "BI", "BE", "BO", "CU", "HT", "SS",
    ]

    /// The twenty codes of Fluent Python's `flags.py`.
    public static let twenty = Array(knownCodes.prefix(20))

    /// The GIF for `code` (two upper-case letters).
    public static func gif(for code: String) -> [UInt8] {
        let seed = code.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
        let first = [UInt8(truncatingIfNeeded: seed), UInt8(truncatingIfNeeded: seed >> 8), UInt8(truncatingIfNeeded: seed >> 16)]
        let second = first.map { 255 &- $0 }
        let width: UInt8 = 16, height: UInt8 = 11
        var bytes = Array("GIF89a".utf8)
        bytes += [width, 0, height, 0, 0x80, 0, 0]            // screen: 2-colour global table
        bytes += first + second                               // the two colours
        let comment = Array("flag of \(code) (FuturesLab)".utf8)
        bytes += [0x21, 0xFE, UInt8(comment.count)] + comment + [0]
        bytes += [0x2C, 0, 0, 0, 0, width, 0, height, 0, 0]   // one image, the whole screen
        bytes += [2] + lzwSubBlocks(stripes(width: Int(width), height: Int(height)))
        bytes += [0x3B]
        return bytes
    }

    /// Pixel indexes: horizontal stripes of the two colours.
    private static func stripes(width: Int, height: Int) -> [UInt8] {
        (0..<height).flatMap { row in [UInt8](repeating: UInt8((row / 4) % 2), count: width) }
    }

    /// GIF's LZW with a minimum code size of 2, kept trivial: a clear code
    /// before every two pixels keeps every code 3 bits wide (valid, if not
    /// compact), then the end code; packed into sub-blocks.
    private static func lzwSubBlocks(_ pixels: [UInt8]) -> [UInt8] {
        let clear: UInt32 = 4, end: UInt32 = 5
        var codes: [UInt32] = []
        for (index, pixel) in pixels.enumerated() {
            if index % 2 == 0 { codes.append(clear) }
            codes.append(UInt32(pixel))
        }
        codes.append(end)
        var data: [UInt8] = []
        var buffer: UInt32 = 0, bits = 0
        for code in codes {
            buffer |= code << bits
            bits += 3
            while bits >= 8 {
                data.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                bits -= 8
            }
        }
        if bits > 0 { data.append(UInt8(buffer & 0xFF)) }
        var blocks: [UInt8] = []
        var start = 0
        while start < data.count {
            let chunk = data[start..<min(start + 255, data.count)]
            blocks += [UInt8(chunk.count)] + chunk
            start += chunk.count
        }
        return blocks + [0]
    }
}
