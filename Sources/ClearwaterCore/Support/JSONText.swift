/// A JSON string literal that is also safe inside an HTML `<script>`: `<`, `>` and `&` as
/// `\u` escapes, and U+2028/U+2029, which end a line in older JavaScript. Written by hand
/// because `JSONEncoder` leaves all five as they are.
enum JSONText {
    /// A byte that may start something written escaped (0xE2 starts U+2028 and U+2029).
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "&") || byte == 0xE2
    }

    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        append(quoted: text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same for text already in UTF-8: copied as it is when nothing in it needs an escape.
    static func append(quotedUTF8 text: ArraySlice<UInt8>, to bytes: inout [UInt8]) {
        guard text.contains(where: needsEscape) else {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        append(quoted: String(decoding: text, as: UTF8.self), to: &bytes)
    }

    /// Appends the literal straight to bytes being written: half a million rows of open data
    /// through a `String` per cell cost a second.
    static func append(quoted text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        defer { bytes.append(UInt8(ascii: "\"")) }
        // Most cells need no escape at all: check the bytes before walking the scalars.
        if !text.utf8.containsByte(where: needsEscape) {
            bytes.append(contentsOf: text.utf8)
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": bytes.append(contentsOf: #"\""#.utf8)
            case "\\": bytes.append(contentsOf: #"\\"#.utf8)
            case "\n": bytes.append(contentsOf: #"\n"#.utf8)
            case "\r": bytes.append(contentsOf: #"\r"#.utf8)
            case "\t": bytes.append(contentsOf: #"\t"#.utf8)
            case "<": bytes.append(contentsOf: #"\u003c"#.utf8)
            case ">": bytes.append(contentsOf: #"\u003e"#.utf8)
            case "&": bytes.append(contentsOf: #"\u0026"#.utf8)
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    bytes.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
    }
}
