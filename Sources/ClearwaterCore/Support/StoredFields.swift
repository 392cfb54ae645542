import NIOCore
import SystemPackage

/// The fields of the files a build keeps beside the output for the next one (the decoded
/// rows, the decoded pages): written and read by this program only, without per-field tags.
extension ByteBuffer {
    /// The CRC-32C of the readable bytes, as `Checksum` writes it.
    var checksum: [UInt8] {
        withUnsafeReadableBytes { var checksum = Checksum(); checksum.update($0); return checksum.bytes }
    }

    /// Whether `stored` holds the CRC-32C of the readable bytes.
    func isChecked(by stored: ByteBuffer) -> Bool {
        checksum == Array(stored.readableBytesView)
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
}
