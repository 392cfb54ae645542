import Foundation

/// Every way a stored file is damaged in the stores' tests: cut short anywhere, a byte more,
/// each byte changed.
public func damagedCopies(of bytes: Data) -> [Data] {
    (0..<bytes.count).map { bytes.prefix($0) } + [bytes + [0]] + bytes.indices.map { position in
        var changed = bytes
        changed[position] ^= 0x5A
        return changed
    }
}
