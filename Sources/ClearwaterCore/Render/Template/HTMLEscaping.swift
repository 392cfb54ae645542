/// Escapes the five characters that can end text or an attribute value in HTML.
public enum HTMLEscaping {
    /// On the UTF-8 bytes, straight into the page's bytes: all five characters are ASCII.
    static func append(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var chunkStart = 0
            for (index, byte) in bytes.enumerated() {
                let replacement: StaticString? = switch byte {
                case UInt8(ascii: "&"): "&amp;"
                case UInt8(ascii: "<"): "&lt;"
                case UInt8(ascii: ">"): "&gt;"
                case UInt8(ascii: "\""): "&quot;"
                case UInt8(ascii: "'"): "&#39;"
                default: nil
                }
                if let replacement {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<index]))
                    output.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                    chunkStart = index + 1
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart...]))
        }
    }

    public static func escaped(_ text: String) -> String {
        var output: [UInt8] = []
        append(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
