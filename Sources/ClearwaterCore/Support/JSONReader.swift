/// A pull reader of JSON bytes: the caller asks for the value it expects next and gets it
/// without an intermediate tree. Written by hand for the snapshot: `JSONDecoder` took a second
/// and a few hundred megabytes to read half a million disclosures into a dictionary.
struct JSONReader {
    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        let expected: String
        var description: String { "expected \(expected) at byte \(offset)" }
    }

    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Calls `body` with each key of an object; `body` must read the key's value.
    mutating func readObject(_ body: (inout JSONReader, String) throws -> Void) throws {
        try readMembers { reader in
            let key = try reader.readString()
            try reader.expect(UInt8(ascii: ":"), "':'")
            try body(&reader, key)
        }
    }

    /// An object of strings, each key and then its value appended to `buffer` as UTF-8, and
    /// `pair` told where the key starts and how long both are: half a million keys without a
    /// `String` each.
    mutating func readStringPairs(into buffer: inout [UInt8], _ pair: (_ start: Int, _ keyLength: Int, _ valueLength: Int) -> Void) throws {
        try readMembers { reader in
            let start = buffer.count
            let keyLength = try reader.readString(appendingTo: &buffer)
            try reader.expect(UInt8(ascii: ":"), "':'")
            pair(start, keyLength, try reader.readString(appendingTo: &buffer))
        }
    }

    /// The members of an object, each read by `member`, with the commas between them.
    private mutating func readMembers(_ member: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "an object")
        if try peek() == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            try member(&self)
            if try peek() == UInt8(ascii: ",") {
                offset += 1
                continue
            }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return
        }
    }

    /// A string's UTF-8 appended to `buffer`, and its length. ASCII without escapes, the usual
    /// case, is copied as it is; anything else goes through `readString()`.
    mutating func readString(appendingTo buffer: inout [UInt8]) throws -> Int {
        let quote = try peekOffset()
        try expect(UInt8(ascii: "\""), "a string")
        var end = offset
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] < 0x80 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            buffer.append(contentsOf: bytes[offset..<end])
            defer { offset = end + 1 }
            return end - offset
        }
        offset = quote
        let text = try readString()
        buffer.append(contentsOf: text.utf8)
        return text.utf8.count
    }

    /// An object of strings, as `[String: String]`.
    mutating func readStringObject() throws -> [String: String] {
        try readMap { reader, _ in try reader.readString() }
    }

    /// An object whose every value `read` reads, by key.
    mutating func readMap<Value>(_ read: (inout JSONReader, String) throws -> Value) throws -> [String: Value] {
        var object: [String: Value] = [:]
        try readObject { reader, key in object[key] = try read(&reader, key) }
        return object
    }

    mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""), "a string")
        let start = offset
        // Fast path: no escape before the closing quote, so the bytes are the text.
        while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") { offset += 1 }
        guard offset < bytes.count else { throw Malformed(offset: offset, expected: "the end of a string") }
        if bytes[offset] == UInt8(ascii: "\"") {
            offset += 1
            return try text(start..<(offset - 1))
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: try text(start..<offset).unicodeScalars)
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return String(scalars)
            }
            if byte != UInt8(ascii: "\\") {
                let run = offset
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") { offset += 1 }
                scalars.append(contentsOf: try text(run..<offset).unicodeScalars)
                continue
            }
            offset += 1
            guard offset < bytes.count else { break }
            let escape = bytes[offset]
            offset += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"): scalars.append(try readUnicodeEscape())
            default: throw Malformed(offset: offset - 1, expected: "an escape")
            }
        }
        throw Malformed(offset: offset, expected: "the end of a string")
    }

    mutating func readBool() throws -> Bool {
        try skipSpace()
        if bytes[offset...].starts(with: "true".utf8) {
            offset += 4
            return true
        }
        if bytes[offset...].starts(with: "false".utf8) {
            offset += 5
            return false
        }
        throw Malformed(offset: offset, expected: "true or false")
    }

    mutating func readInt() throws -> Int {
        try skipSpace()
        let start = offset
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
        guard let value = Int(try text(start..<offset)) else { throw Malformed(offset: start, expected: "an integer") }
        return value
    }

    /// Passes over any value and returns its bytes, for a part read by other means.
    mutating func skipValue() throws -> ArraySlice<UInt8> {
        let start = try peekOffset()
        switch bytes[start] {
        case UInt8(ascii: "{"):
            offset = start
            try readMembers { reader in
                try reader.skipString()
                try reader.expect(UInt8(ascii: ":"), "':'")
                _ = try reader.skipValue()
            }
        case UInt8(ascii: "["):
            offset = start + 1
            if try peek() == UInt8(ascii: "]") {
                offset += 1
            } else {
                while true {
                    _ = try skipValue()
                    if try peek() == UInt8(ascii: ",") {
                        offset += 1
                        continue
                    }
                    try expect(UInt8(ascii: "]"), "',' or ']'")
                    break
                }
            }
        case UInt8(ascii: "\""): try skipString()
        default:
            offset = start
            while offset < bytes.count, !",}] \n\r\t".utf8.contains(bytes[offset]) { offset += 1 }
            guard offset > start else { throw Malformed(offset: start, expected: "a value") }
        }
        return bytes[start..<offset]
    }

    /// Passes over a string, its escapes unchecked: a value skipped is not read, and a
    /// snapshot's half a million amounts are skipped in a few milliseconds.
    private mutating func skipString() throws {
        try expect(UInt8(ascii: "\""), "a string")
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                offset += 1
                return
            case UInt8(ascii: "\\"): offset += 2
            default: offset += 1
            }
        }
        throw Malformed(offset: bytes.count, expected: "the end of a string")
    }

    /// Only white space may follow the document.
    mutating func expectEnd() throws {
        while offset < bytes.count, Self.isSpace(bytes[offset]) { offset += 1 }
        guard offset == bytes.count else { throw Malformed(offset: offset, expected: "the end of the document") }
    }

    private mutating func readUnicodeEscape() throws -> Unicode.Scalar {
        let high = try readHex4()
        if (0xD800..<0xDC00).contains(high), bytes[offset...].starts(with: "\\u".utf8) {
            offset += 2
            let low = try readHex4()
            if (0xDC00..<0xE000).contains(low), let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) { return scalar }
        } else if let scalar = Unicode.Scalar(high) {
            return scalar
        }
        throw Malformed(offset: offset, expected: "a Unicode escape of a character")
    }

    private mutating func readHex4() throws -> UInt32 {
        guard offset + 4 <= bytes.count, let value = UInt32(try text(offset..<(offset + 4)), radix: 16) else {
            throw Malformed(offset: offset, expected: "four hexadecimal digits")
        }
        offset += 4
        return value
    }

    private func text(_ range: Range<Int>) throws -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else { throw Malformed(offset: range.lowerBound, expected: "UTF-8 text") }
        return text
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard try peek() == byte else { throw Malformed(offset: offset, expected: what) }
        offset += 1
    }

    private mutating func peek() throws -> UInt8 {
        bytes[try peekOffset()]
    }

    /// Skips white space; the offset of the next byte, which must exist.
    private mutating func peekOffset() throws -> Int {
        try skipSpace()
        return offset
    }

    private mutating func skipSpace() throws {
        while offset < bytes.count, Self.isSpace(bytes[offset]) { offset += 1 }
        guard offset < bytes.count else { throw Malformed(offset: offset, expected: "more JSON") }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
