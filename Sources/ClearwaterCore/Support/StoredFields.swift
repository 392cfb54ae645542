import NIOCore
import SystemPackage

/// The fields of the files a build keeps beside the output for the next one (the decoded
/// rows, pages and datasets): written and read by this program only, without per-field tags.
extension ByteBuffer {
    /// The CRC-32C of the readable bytes, as `Checksum` writes it.
    var checksum: [UInt8] {
        withUnsafeReadableBytes { var checksum = Checksum(); checksum.update($0); return checksum.bytes }
    }

    /// A section: its size, the readable bytes of `section` (taken), and their CRC-32C, as
    /// `StoredFieldReader.readCheckedSection` reads it back.
    mutating func writeCheckedSection(_ section: inout ByteBuffer) {
        writeInteger(UInt64(section.readableBytes))
        let checksum = section.checksum
        writeBuffer(&section)
        writeBytes(checksum)
    }

    /// Hands what the buffer holds to the file and empties it.
    mutating func flush(to file: SystemPackage.FileDescriptor) throws {
        _ = try withUnsafeReadableBytes { try file.writeAll($0) }
        clear()
    }

    /// A length, then UTF-8; `UInt32.max` for none.
    mutating func writeText(_ text: String?) {
        guard let text else {
            writeInteger(UInt32.max)
            return
        }
        writeInteger(UInt32(text.utf8.count))
        writeString(text)
    }

    /// `nil` when the buffer ends early; `.some(nil)` for a text written as none.
    mutating func readText() -> String?? {
        guard let length = readInteger(as: UInt32.self) else { return nil }
        guard length != .max else { return .some(nil) }
        guard let text = readString(length: Int(length)) else { return nil }
        return .some(text)
    }

    /// Its two words, high first.
    mutating func writeDigest(_ digest: ContentDigest) {
        writeInteger(digest.high)
        writeInteger(digest.low)
    }

    mutating func readDigest() -> ContentDigest? {
        guard let high = readInteger(as: UInt64.self), let low = readInteger(as: UInt64.self) else { return nil }
        return ContentDigest(high: high, low: low)
    }

    /// Their count, then each as `write` writes it, as `StoredFieldReader.readList` reads them.
    mutating func writeList<Element>(_ elements: [Element], _ write: (inout ByteBuffer, Element) -> Void) {
        writeInteger(UInt32(elements.count))
        for element in elements { write(&self, element) }
    }

    /// Its count, then each key (`StoredKey`) with its value as `write` writes it, in no
    /// particular order, as `StoredFieldReader.readTable` reads them.
    mutating func writeTable<Key: StoredKey, Value>(_ table: [Key: Value], _ write: (inout ByteBuffer, Value) -> Void) {
        writeInteger(UInt32(table.count))
        for (key, value) in table {
            key.write(to: &self)
            write(&self, value)
        }
    }

    /// A count of languages, then each language with its text, in the languages' order;
    /// `UInt32.max` for none.
    mutating func writeLocalized(_ localized: Localized?) {
        guard let localized else {
            writeInteger(UInt32.max)
            return
        }
        writeList(localized.values.sorted { $0.key < $1.key }) { buffer, entry in
            buffer.writeText(entry.key)
            buffer.writeText(entry.value)
        }
    }
}

/// Reads the fields `ByteBuffer` writes above (big-endian integers, `writeText`) from bytes that
/// lie elsewhere, such as a `MappedFile`: a `ByteBuffer` only reads memory of its own.
struct StoredFieldReader {
    private let bytes: UnsafeRawBufferPointer
    /// Where the next field starts, counted from the start of `bytes`.
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// A reader of the fields of a whole file that is its fields and then their CRC-32C, as
    /// the decoded pages and datasets and the search rows are kept; `nil` when the checksum is not theirs.
    init?(checkedWhole bytes: UnsafeRawBufferPointer) {
        var whole = StoredFieldReader(bytes)
        guard let checked = whole.readChecked(bytes.count - 4) else { return nil }
        self.init(checked)
    }

    var left: Int { bytes.count - offset }

    /// The integer at `position`, or `nil` where the bytes end first; reads nothing.
    func integer<Integer: FixedWidthInteger>(at position: Int, as type: Integer.Type = Integer.self) -> Integer? {
        guard position >= 0, position <= bytes.count - MemoryLayout<Integer>.size else { return nil }
        return Integer(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: Integer.self))
    }

    mutating func readInteger<Integer: FixedWidthInteger>(as type: Integer.Type = Integer.self) -> Integer? {
        guard let value = integer(at: offset, as: Integer.self) else { return nil }
        offset += MemoryLayout<Integer>.size
        return value
    }

    /// The next `count` bytes, or `nil` where the bytes end first.
    mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= left else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// The next `count` bytes when the CRC-32C after them is theirs (`ByteBuffer.checksum`),
    /// else `nil`: the stores' sections are checked on reading, a damaged byte being otherwise
    /// a published figure.
    mutating func readChecked(_ count: Int) -> UnsafeRawBufferPointer? {
        guard let bytes = readBytes(count), let stored = readBytes(4) else { return nil }
        var checksum = Checksum()
        checksum.update(bytes)
        return checksum.bytes.elementsEqual(stored) ? bytes : nil
    }

    /// The bytes of a section `ByteBuffer.writeCheckedSection` wrote, when they are whole and
    /// their CRC-32C is theirs.
    mutating func readCheckedSection() -> UnsafeRawBufferPointer? {
        guard let size = readInteger(as: UInt64.self), let count = Int(exactly: size) else { return nil }
        return readChecked(count)
    }

    /// `nil` when the bytes end early; `.some(nil)` for a text written as none.
    mutating func readText() -> String?? {
        guard let length = readInteger(as: UInt32.self) else { return nil }
        guard length != .max else { return .some(nil) }
        guard let text = readBytes(Int(length)) else { return nil }
        return .some(String(decoding: text, as: UTF8.self))
    }

    mutating func readDigest() -> ContentDigest? {
        guard let high = readInteger(as: UInt64.self), let low = readInteger(as: UInt64.self) else { return nil }
        return ContentDigest(high: high, low: low)
    }

    /// `nil` when the bytes end early or `read` finds an element damaged.
    mutating func readList<Element>(_ read: (inout StoredFieldReader) -> Element?) -> [Element]? {
        guard let count = readInteger(as: UInt32.self) else { return nil }
        var elements: [Element] = []
        // No more room than the bytes left could hold: a damaged count must not reserve gigabytes.
        elements.reserveCapacity(Int(min(count, UInt32(left / 4))))
        for _ in 0..<count {
            guard let element = read(&self) else { return nil }
            elements.append(element)
        }
        return elements
    }

    /// `nil` when the bytes end early, `read` finds a value damaged or a key repeats.
    mutating func readTable<Key: StoredKey, Value>(_ read: (inout StoredFieldReader) -> Value?) -> [Key: Value]? {
        guard let count = readInteger(as: UInt32.self) else { return nil }
        // No more room than the bytes left could hold, as for a list.
        var table = [Key: Value](minimumCapacity: Int(min(count, UInt32(left / 4))))
        for _ in 0..<count {
            guard let key = Key(reading: &self), let value = read(&self), table.updateValue(value, forKey: key) == nil else { return nil }
        }
        return table
    }

    /// `nil` when the bytes end early or repeat a language; `.some(nil)` for none.
    mutating func readLocalized() -> Localized?? {
        guard let count = readInteger(as: UInt32.self) else { return nil }
        guard count != .max else { return .some(nil) }
        // Made with its room: an empty table given room afterwards went through the table's
        // resizing, which looked up its generic type, for each of a province's forty thousand names.
        var values = [String: String](minimumCapacity: Int(min(count, 16)))
        for _ in 0..<count {
            guard let language = readText() ?? nil, let text = readText() ?? nil, values.updateValue(text, forKey: language) == nil else { return nil }
        }
        return .some(Localized(values))
    }
}

/// A key of a table kept in a store (`ByteBuffer.writeTable`).
protocol StoredKey: Hashable {
    func write(to buffer: inout ByteBuffer)
    init?(reading fields: inout StoredFieldReader)
}

extension String: StoredKey {
    func write(to buffer: inout ByteBuffer) { buffer.writeText(self) }
    init?(reading fields: inout StoredFieldReader) {
        guard let text = fields.readText() ?? nil else { return nil }
        self = text
    }
}

extension ContentDigest: StoredKey {
    func write(to buffer: inout ByteBuffer) { buffer.writeDigest(self) }
    init?(reading fields: inout StoredFieldReader) {
        guard let digest = fields.readDigest() else { return nil }
        self = digest
    }
}

/// As a 64-bit integer; a negative one is never written, and one beyond `Int` reads as damage.
extension Int: StoredKey {
    func write(to buffer: inout ByteBuffer) { buffer.writeInteger(UInt64(self)) }
    init?(reading fields: inout StoredFieldReader) {
        guard let value = fields.readInteger(as: UInt64.self).flatMap({ Int(exactly: $0) }) else { return nil }
        self = value
    }
}
