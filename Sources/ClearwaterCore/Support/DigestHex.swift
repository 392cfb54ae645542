import Crypto

extension SHA256.Digest {
    /// Lowercase hex, as `sha256sum` prints it; by table, since a `String(format:)` per byte
    /// showed in the profile of an incremental build that digests every page.
    var hex: String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in self {
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
