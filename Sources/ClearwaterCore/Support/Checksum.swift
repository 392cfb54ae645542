import CLinux

/// A CRC-32C of bytes written, to find them damaged when read back.
///
/// For the build's own stores rather than a digest: nothing attacks them, and SHA-256 over the
/// decoded disclosures, written and read back on every rebuild, was a twentieth of its CPU.
struct Checksum: Equatable {
    private(set) var value: UInt32 = 0

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = clearwater_crc32c(value, bytes.baseAddress, bytes.count)
    }

    /// Big-endian, as stored.
    var bytes: [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }
}
