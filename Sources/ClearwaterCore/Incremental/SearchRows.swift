import Foundation
import NIOCore
import SystemPackage

/// The rows of the last `search-index.js`, each known by a digest of what it was made from
/// (`RouteInputs.searchRowKey`), kept beside the output so that the next index made copies
/// the rows whose inputs did not change instead of folding and escaping them again.
///
/// At province scale one changed Markdown page made the whole index again: twenty thousand
/// enterprise rows folded to NFKC and escaped, 1,400 of such a rebuild's 4,900 samples and the
/// last stretch of its wall time. Like the other stores it is a cache, never a source: a row
/// is copied only under the key it was made from, and a store of another format, or damaged,
/// is not read. A file of its own, not chunks of the manifest (`EnterpriseChunks`): every
/// build reads and writes the manifest, and 22,000 more lines would cost each of them a part
/// of what this spares the few that make the index again.
struct SearchRows: Sendable, Equatable {
    /// The whole script, as published.
    var script: [UInt8] = []
    /// Where each row lies in `script`, by its key.
    var ranges: [UInt64: Range<Int>] = [:]

    /// The bytes of the row kept under `key`, if there is one.
    func row(_ key: UInt64) -> ArraySlice<UInt8>? {
        ranges[key].map { script[$0] }
    }

    /// The file beside the output that keeps them.
    struct Store: Sendable {
        static let format = "clearwater-search-rows 1"

        let location: URL

        static func location(of output: URL) -> URL {
            output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.search")
        }

        /// `nil` when there is none, it is of another format, or it is damaged.
        func read() -> SearchRows? {
            guard let mapped = MappedFile(readingAt: location.path) else { return nil }
            return withExtendedLifetime(mapped) { () -> SearchRows? in
                guard var body = StoredFieldReader(checkedWhole: mapped.bytes) else { return nil }
                guard body.readText() == Self.format, let count = body.readInteger(as: UInt32.self),
                      Int(count) * 3 * MemoryLayout<UInt64>.size <= body.left else { return nil }
                let offset = { body.readInteger(as: UInt64.self).flatMap { Int(exactly: $0) } }
                var ranges: [UInt64: Range<Int>] = [:]
                ranges.reserveCapacity(Int(count))
                for _ in 0..<count {
                    guard let key = body.readInteger(as: UInt64.self), let start = offset(), let end = offset(), start <= end else { return nil }
                    ranges[key] = start..<end
                }
                guard let size = offset(), let script = body.readBytes(size), body.left == 0,
                      ranges.values.allSatisfy({ $0.upperBound <= script.count }) else { return nil }
                return SearchRows(script: Array(script), ranges: ranges)
            }
        }

        /// Written as a store (`writeStore`), the script from where it lies rather than copied
        /// into a buffer first: 15 MB at province scale, beside the pages rendering.
        /// Only a speed-up: if it cannot be written, the next index is made whole.
        func write(_ rows: SearchRows) {
            var head = ByteBuffer()
            head.writeText(Self.format)
            head.writeInteger(UInt32(rows.ranges.count))
            for (key, range) in rows.ranges {
                head.writeInteger(key)
                head.writeInteger(UInt64(range.lowerBound))
                head.writeInteger(UInt64(range.upperBound))
            }
            head.writeInteger(UInt64(rows.script.count))
            var checksum = Checksum()
            head.withUnsafeReadableBytes { checksum.update($0) }
            rows.script.withUnsafeBytes { checksum.update($0) }
            try? writeStore(at: location) { file in
                try head.flush(to: file)
                _ = try rows.script.withUnsafeBytes { try file.writeAll($0) }
                _ = try checksum.bytes.withUnsafeBytes { try file.writeAll($0) }
            }
        }
    }
}
