import CLinux
import Foundation
import NIOCore
import SystemPackage

/// Writes a store beside the output: under its name and `.new`, filled by `write`, then put in
/// place in one exchange with the old store (`PendingStore`), so a reader finds the old store
/// or the new one. Call with the output locked.
func writeStore(at location: URL, _ write: (SystemPackage.FileDescriptor) throws -> Void) throws {
    try PendingStore.write(at: location, write).commit()
}

/// A store, or the build manifest, written beside the output under its name and `.new`,
/// waiting to be put in place.
///
/// The temporary name is always the same, so a killed build's is known to the next, which
/// removes it (`OutputWriter.removeUnfinishedStores`): Foundation's atomic writes left
/// `.dat.nosync…` files that no build can tell from another program's.
///
/// The file a store replaces is kept under its name and `.spare`, and the next write fills it
/// again: its pages are in memory already, where a new file's come from memory this VM has
/// handed back to its host. Copying a province's 51 MB of decoded rows into a new file took
/// 515 samples of a row rebuild's profile in a slow minute, 14 over the old file's pages, and
/// writing its 7.5 MB manifest 122, at the very end of the build (docs/performance.md,
/// thirtieth session), as the large downloads did before they were written over the spare
/// tree's (`OutputWriter.stage`).
struct PendingStore {
    let temporary: String
    let location: String

    private var spare: String { location + ".spare" }

    /// Fills the temporary file with what `write` writes, over the spare where there is one.
    static func write(at location: URL, _ write: (SystemPackage.FileDescriptor) throws -> Void) throws -> PendingStore {
        let pending = PendingStore(temporary: location.path + ".new", location: location.path)
        do {
            let reused = rename(pending.spare, pending.temporary) == 0
            let file = try SystemPackage.FileDescriptor.open(pending.temporary, .writeOnly, options: reused ? [.closeOnExec] : [.create, .truncate, .closeOnExec],
                                                             permissions: [.ownerReadWrite, .groupRead, .otherRead])
            try file.closeAfter {
                try write(file)
                // Written over a longer store, it ends where this one does.
                if reused { try file.resize(to: file.seek(offset: 0, from: .current)) }
            }
        } catch {
            pending.discard()
            throw error
        }
        return pending
    }

    /// Puts the store in place: exchanged with the current one, which becomes the spare, or
    /// renamed where there is none. With `previous`, the current one is moved there instead
    /// (the build manifest of a tree the swap took out). A rename or an exchange takes no
    /// disk space, so this cannot fail on a full disk.
    func commit(keepingPrevious previous: URL? = nil) throws {
        if let previous, rename(location, previous.path) != 0 {
            unlink(previous.path)
        }
        if previous == nil, clearwater_exchange_paths(temporary, location) == 0 {
            // Only a speed-up: if it cannot be kept, the next write makes a new file.
            if rename(temporary, spare) != 0 { unlink(temporary) }
            return
        }
        guard rename(temporary, location) == 0 else {
            let failure = OutputWriter.Failure(description: "cannot write \(location): \(String(cString: strerror(errno)))")
            discard()
            throw failure
        }
    }

    /// Removes the temporary file of a write that failed, or of a build that stopped.
    func discard() {
        unlink(temporary)
    }
}

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

    /// Their count, then each as `write` writes it, as `StoredFieldReader.readList` reads them.
    mutating func writeList<Element>(_ elements: [Element], _ write: (inout ByteBuffer, Element) -> Void) {
        writeInteger(UInt32(elements.count))
        for element in elements { write(&self, element) }
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

    /// `nil` when the bytes end early or repeat a language; `.some(nil)` for none.
    mutating func readLocalized() -> Localized?? {
        guard let count = readInteger(as: UInt32.self) else { return nil }
        guard count != .max else { return .some(nil) }
        var values: [String: String] = [:]
        values.reserveCapacity(Int(min(count, 16)))
        for _ in 0..<count {
            guard let language = readText() ?? nil, let text = readText() ?? nil, values.updateValue(text, forKey: language) == nil else { return nil }
        }
        return .some(Localized(values))
    }
}
