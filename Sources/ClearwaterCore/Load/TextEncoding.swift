import Glibc

/// The encodings content files arrive in: spreadsheet exports on Chinese Windows are
/// GB18030/GBK ("CSV") or UTF-16 ("Unicode text"); everything else is UTF-8.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030
    case utf16 = "utf-16"

    /// Accepts the names people write: GBK and GB2312 are subsets of GB18030, so one decoder serves all three.
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        case "utf-16", "utf16", "utf-16le", "utf-16be", "ucs-2": self = .utf16
        default: return nil
        }
    }

    /// The name glibc's iconv knows it by; UTF-16 without a byte-order mark is read as
    /// little-endian, the way Windows writes it.
    fileprivate func iconvName(for bytes: [UInt8]) -> String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .utf16: bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) ? "UTF-16" : "UTF-16LE"
        }
    }

    /// The text as UTF-8 bytes, or the byte offset where the input stops being this encoding.
    ///
    /// glibc's iconv instead of Foundation: swift-corelibs-foundation has no GB18030 decoder,
    /// and iconv reports the exact offset of the first bad byte.
    func decode(_ bytes: [UInt8]) -> Result<[UInt8], InvalidByte> {
        let descriptor = iconv_open("UTF-8", iconvName(for: bytes))
        guard descriptor != iconv_t(bitPattern: -1) else { return .failure(InvalidByte(offset: 0)) }
        defer { iconv_close(descriptor) }
        var input = bytes
        // GB18030 and UTF-16 grow by at most half when written as UTF-8.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 4)
        let (consumed, produced, failed) = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var outPointer = outBuffer.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var inLeft = inBuffer.count, outLeft = outBuffer.count
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                return (inBuffer.count - inLeft, outBuffer.count - outLeft, result == -1)
            }
        }
        if failed { return .failure(InvalidByte(offset: consumed)) }
        var text = Array(output[..<produced])
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        return .success(text)
    }

    struct InvalidByte: Error {
        let offset: Int
    }
}
