/// Escapes the five characters that can end text or an attribute value in HTML.
public enum HTMLEscaping {
    static func append(_ text: String, to output: inout String) {
        let utf8 = text.utf8
        var chunkStart = utf8.startIndex
        var index = chunkStart
        while index != utf8.endIndex {
            let replacement: String? = switch utf8[index] {
            case UInt8(ascii: "&"): "&amp;"
            case UInt8(ascii: "<"): "&lt;"
            case UInt8(ascii: ">"): "&gt;"
            case UInt8(ascii: "\""): "&quot;"
            case UInt8(ascii: "'"): "&#39;"
            default: nil
            }
            if let replacement {
                output += text[chunkStart..<index]
                output += replacement
                chunkStart = utf8.index(after: index)
            }
            utf8.formIndex(after: &index)
        }
        output += text[chunkStart...]
    }

    public static func escaped(_ text: String) -> String {
        var output = ""
        append(text, to: &output)
        return output
    }
}
