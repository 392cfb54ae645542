import Crypto

extension SHA256.Digest {
    /// Lowercase hex, as `sha256sum` prints it; by table, since a `String(format:)` per byte
    /// showed in the profile of an incremental build that digests every page.
    var hex: String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in self {
            text.append(HexDigits.digits[Int(byte >> 4)])
            text.append(HexDigits.digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The digits of lowercase hex, as UTF-8, for digests printed by table.
enum HexDigits {
    static let digits = Array("0123456789abcdef".utf8)
}
