import Foundation

/// Where each enterprise's rows lie in the published `disclosures.csv` and `disclosures.json`,
/// and its amounts in `data/snapshot.json` (`PublishedAmounts`), so that a rebuild copies the
/// bytes of every enterprise whose records did not change from the previous build's files
/// instead of writing half a million rows again: at province scale that was the largest part
/// of a rebuild after one changed row.
///
/// A chunk is known by a digest of what its bytes are made from (`RouteInputs.chunkKeys`), and
/// its range is recorded in the build manifest with the file's stamp, so it is only trusted
/// while the manifest vouches for the file. The digest is kept as its two words, not as hex:
/// as texts, a province's 30,000 keys were made, hashed and retained on every rebuild, by two
/// downloads' threads at once.
struct EnterpriseChunks: Sendable {
    /// By file path, each chunk's range in the file by its key.
    typealias Ranges = [String: [ContentDigest: Range<Int>]]
    /// By file path, the SHA-256's state at the end of each piece but the last (`PiecewiseFile`).
    typealias HashStates = [String: [Int: ResumableSHA256.State]]

    /// What a build recorded of the large files it wrote, for the next build to start from.
    struct Made: Sendable {
        var ranges = Ranges()
        var hashStates = HashStates()
    }

    /// An enterprise's chunk key, by its id; `nil` for one whose rows are always written.
    let key: @Sendable (String) -> ContentDigest?
    /// The previous build, if any: its manifest and output folder.
    let previous: SiteRenderer.Previous?

    /// The previous build's file at `path`, when the manifest vouches for it and records its chunks.
    func previousFile(_ path: String) -> PreviousFile? {
        Self.previousFile(path, in: previous)
    }

    /// The same, before this build's keys are known: the change log reads the snapshot's.
    static func previousFile(_ path: String, in previous: SiteRenderer.Previous?) -> PreviousFile? {
        guard recorded(path, in: previous), let previous, let ranges = previous.manifest.chunks[path] else { return nil }
        return PreviousFile(path: previous.output + "/" + path, ranges: ranges)
    }

    /// The SHA-256 states the previous build recorded for its file at `path`, if the file is as
    /// it left it.
    func hashStates(of path: String) -> [Int: ResumableSHA256.State] {
        guard Self.recorded(path, in: previous), let states = previous?.manifest.hashStates[path] else { return [:] }
        return states
    }

    /// Where the chunks `previous` recorded for its file at `path` lie, first to last, if it
    /// recorded them and the file is as it left it.
    static func span(_ path: String, in previous: SiteRenderer.Previous?) -> Range<Int>? {
        guard recorded(path, in: previous), let ranges = previous?.manifest.chunks[path]?.values,
              let start = ranges.map(\.lowerBound).min(), let end = ranges.map(\.upperBound).max() else { return nil }
        return start..<end
    }

    /// Whether `previous` recorded the chunks of its file at `path`, and the file is as it left it.
    static func recorded(_ path: String, in previous: SiteRenderer.Previous?) -> Bool {
        guard let previous, previous.manifest.chunks[path] != nil else { return false }
        return previous.isIntact(path)
    }

    /// The chunks of a previous file, read where the page cache holds them: read a window at a
    /// time, every byte of a province's downloads was copied into a buffer and again into the
    /// file written. The file is mapped (`MappedFile`): the output's large files are written
    /// over only once they have moved to the spare, never while they are the output's.
    final class PreviousFile {
        private let mapped: MappedFile?
        private let ranges: [ContentDigest: Range<Int>]
        /// Where the pages read so far were last let go (`MappedFile.release`).
        private var released = 0
        private static let releaseEvery = 8 << 20

        init(path: String, ranges: [ContentDigest: Range<Int>]) {
            mapped = MappedFile(readingAt: path)
            self.ranges = ranges
        }

        /// The file's size; 0 when it could not be mapped.
        var size: Int { mapped?.bytes.count ?? 0 }

        /// The keys of the chunks `including` picks, in the order they lie in the file.
        func keys(where including: (ContentDigest) -> Bool) -> [ContentDigest] {
            ranges.filter { including($0.key) }.sorted { $0.value.lowerBound < $1.value.lowerBound }.map(\.key)
        }

        /// Whether the file lists a chunk with `key`, whether or not its bytes are there.
        func lists(chunk key: ContentDigest) -> Bool {
            ranges[key] != nil
        }

        /// Where the chunk with `key` lies in the file; `nil` when there is none or it lies
        /// beyond the file's end. Looked up once for a chunk, then read by its range: ten
        /// thousand chunks in each of three files were looked up three times each.
        func chunk(_ key: ContentDigest) -> Range<Int>? {
            ranges[key].flatMap { holds($0) ? $0 : nil }
        }

        /// `body` with the bytes of the chunk with `key`; `nil` when there is none or it lies
        /// beyond the file's end.
        func withBytes<Result>(ofChunk key: ContentDigest, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
            guard let range = chunk(key) else { return nil }
            return try withBytes(in: range, body)
        }

        /// `body` with the bytes at `range`, a chunk's (`chunk`); `nil` when the file does not
        /// reach that far. The bytes are lent for the call only: the file is unmapped with this
        /// object. Chunks are mostly asked for in the order they lie in, so the pages before
        /// one are let go every few megabytes.
        func withBytes<Result>(in range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
            guard let mapped, holds(range) else { return nil }
            if range.lowerBound >= released + Self.releaseEvery {
                mapped.release(before: range.lowerBound)
                released = range.lowerBound
            }
            return try body(UnsafeRawBufferPointer(rebasing: mapped.bytes[range]).assumingMemoryBound(to: UInt8.self))
        }

        /// The bytes at `range`, lent where the file is mapped (`PiecewiseFile`); `nil` when the
        /// file does not reach that far.
        func lend(_ range: Range<Int>) -> OutputFile.Lent? {
            guard let mapped, holds(range) else { return nil }
            return OutputFile.Lent(file: mapped, range: range)
        }

        /// Lets go of the pages before `offset`, once the bytes lent from them are written.
        func letGo(before offset: Int) {
            mapped?.release(before: offset)
            released = max(released, offset)
        }

        private func holds(_ range: Range<Int>) -> Bool {
            guard let mapped else { return false }
            return range.lowerBound >= 0 && range.upperBound <= mapped.bytes.count
        }
    }
}
