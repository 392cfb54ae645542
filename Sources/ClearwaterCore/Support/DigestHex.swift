import Crypto

extension SHA256.Digest {
    /// Lowercase hex, as `sha256sum` prints it; by table, since a `String(format:)` per byte
    /// showed in the profile of an incremental build that digests every page.
    var hex: String {
        HexDigits.hex(self)
    }
}

/// The digits of lowercase hex, as UTF-8, for digests printed by table.
enum HexDigits {
    static let digits = Array("0123456789abcdef".utf8)

    /// Two digits a byte, high half first.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A lowercase hex digit's value; `nil` for any other byte.
    static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The bytes of `hex`'s lowercase digits; `nil` for anything else.
    static func bytes(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        for index in stride(from: 0, to: text.count, by: 2) {
            guard let high = value(of: text[index]), let low = value(of: text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
