import Foundation
import NIOCore

/// What the last build wrote: for each output file, the digest of what it was made from (for
/// pages that have one, see `RouteInputs`) and its stamp on disk just after writing.
///
/// Kept beside the output folder (`.public.clearwater.manifest`), so it is never published.
/// It needs no care when a build dies: it only vouches for files whose size, modification
/// time and inode still match, and a swapped-in build changes those of every file it wrote.
/// It holds the tree's root folder's inode, each file's inputs and stamp, each chunk of an
/// open-data file (`EnterpriseChunks`), the rows of each page with summary tables whose rows a
/// rebuild may copy (`RenderedRows.encoded`), and the SHA-256 states of each download whose
/// hash the data package gives (`ResumableSHA256.State`), as fields with their CRC-32C, like
/// the other stores: a province site has tens of thousands of entries, read on every rebuild.
///
/// When a swap takes the tree out, its manifest is kept beside the new one as the spare's
/// (`.public.clearwater.spare-manifest`), so that `TreeListing` knows what the spare holds.
struct BuildManifest: Sendable {
    static let format = "clearwater-manifest 7"

    struct Entry: Sendable, Equatable {
        /// Two words rather than their 32 hex digits: a province's 22,000 were each a string of
        /// its own, made, hashed into tables and compared at every rebuild.
        let inputs: ContentDigest?
        let stamp: FileStamp
    }

    var entries: [String: Entry] = [:]
    var chunks = EnterpriseChunks.Ranges()
    /// By page path, where its summary tables' rows are, as `RenderedRows.encoded`: decoded only
    /// for a page made again.
    var rows: [String: String] = [:]
    /// By file path, its SHA-256's state at the end of each piece but the last (`PiecewiseFile`).
    var hashStates = EnterpriseChunks.HashStates()
    /// The inode of the tree's root folder, which the swap keeps: tells this tree from another
    /// at the same place.
    var root: UInt64?
    /// When the file read was written, by the clock that stamps files; `nil` for one not read.
    private(set) var written: Int?

    /// Whether both list the same tree, files, chunks and rows, whenever each was written.
    func lists(sameAs other: BuildManifest) -> Bool {
        root == other.root && entries == other.entries && chunks == other.chunks && rows == other.rows && hashStates == other.hashStates
    }

    static func location(of output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.manifest")
    }

    /// The manifest of the tree the last swap took out, the spare.
    static func spareLocation(of output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.spare-manifest")
    }

    static func read(for output: URL) -> BuildManifest? {
        read(at: location(of: output))
    }

    /// `nil` when there is none, or it is from another version or damaged: the build is then full.
    ///
    /// - Parameter filesOnly: only each file's stamp, as `TreeListing` needs of the spare's
    ///   manifest: a province's 30,000 chunks, its rows and each file's inputs are skipped.
    static func read(at location: URL, filesOnly: Bool = false) -> BuildManifest? {
        // Stamped before reading: were the file replaced in between, the older time only makes
        // `TreeListing` doubt more folders. Mapped rather than read (`MappedFile`): a province's
        // manifest is megabytes, which reading copied into memory touched for the first time.
        guard let stamp = FileStamp(path: location.path), let mapped = MappedFile(readingAt: location.path) else { return nil }
        return withExtendedLifetime(mapped) { () -> BuildManifest? in
            guard var fields = StoredFieldReader(checkedWhole: mapped.bytes), fields.readText() == format,
                  let hasRoot = fields.readInteger(as: UInt8.self), hasRoot <= 1, let root = fields.readInteger(as: UInt64.self),
                  let fileCount = fields.readInteger(as: UInt32.self), Int(fileCount) <= fields.left / Self.smallestFile else { return nil }
            var manifest = BuildManifest()
            manifest.written = stamp.modifiedNanoseconds
            manifest.root = hasRoot == 1 ? root : nil
            manifest.entries.reserveCapacity(Int(fileCount))
            for _ in 0..<fileCount {
                guard let hasInputs = fields.readInteger(as: UInt8.self), hasInputs <= 1, let inputs = fields.readDigest(),
                      let size = fields.readInteger(as: Int64.self), let modified = fields.readInteger(as: Int64.self), let inode = fields.readInteger(as: UInt64.self),
                      let path = fields.readText() ?? nil else { return nil }
                manifest.entries[path] = Entry(inputs: hasInputs == 1 && !filesOnly ? inputs : nil,
                                               stamp: FileStamp(size: Int(size), modifiedNanoseconds: Int(modified), inode: inode))
            }
            guard manifest.entries.count == fileCount else { return nil }
            if filesOnly { return manifest }
            let chunks: EnterpriseChunks.Ranges? = fields.readTable { fields in
                fields.readTable { fields -> Range<Int>? in
                    guard let start = fields.readInteger(as: UInt64.self).flatMap({ Int(exactly: $0) }),
                          let end = fields.readInteger(as: UInt64.self).flatMap({ Int(exactly: $0) }), start <= end else { return nil }
                    return start..<end
                }
            }
            let rows: [String: String]? = chunks == nil ? nil : fields.readTable { $0.readText() ?? nil }
            let hashStates: EnterpriseChunks.HashStates? = rows == nil ? nil : fields.readTable { fields in
                fields.readTable { fields -> ResumableSHA256.State? in
                    guard let length = fields.readInteger(as: UInt32.self), let bytes = fields.readBytes(Int(length)) else { return nil }
                    return ResumableSHA256.State(bytes: Array(bytes))
                }
            }
            guard let chunks, let rows, let hashStates, fields.left == 0 else { return nil }
            (manifest.chunks, manifest.rows, manifest.hashStates) = (chunks, rows, hashStates)
            return manifest
        }
    }

    /// The fewest bytes a file's entry takes: a damaged count must not reserve gigabytes.
    private static let smallestFile = 1 + 16 + 3 * 8 + 4

    /// Writes the manifest beside the output under a temporary name (`PendingStore`), for its
    /// build to put in place once swapped in.
    func prepare(for output: URL) throws -> PendingStore {
        try prepare(at: Self.location(of: output))
    }

    /// Its fields (`StoredFieldReader` reads them), then their CRC-32C: binary rather than lines
    /// of text, where a province's 52,000 lines of hex digits and decimal numbers were printed
    /// at the end of every rebuild and parsed at the start of the next.
    func prepare(at location: URL) throws -> PendingStore {
        // The files' entries on this thread, the chunks' and rows' on another: at the end of
        // every rebuild, while a core waits.
        let (rest, files) = Parallel.both({ [self] in otherFields() }, { fileFields() })
        var checksum = Checksum()
        for part in [files, rest] { part.withUnsafeReadableBytes { checksum.update($0) } }
        do {
            return try PendingStore.write(at: location, keepingSpareCopy: true) { file in
                for part in [files, rest] { _ = try part.withUnsafeReadableBytes { try file.writeAll($0) } }
                _ = try checksum.bytes.withUnsafeBytes { try file.writeAll($0) }
            }
        } catch {
            throw OutputWriter.Failure(description: "cannot write \(location.path).new: \(OutputWriter.reason(error))")
        }
    }

    /// The format, the root and each file's entry, in no particular order: reading puts every
    /// entry in a table, and sorting a province's paths was a fifth of writing them.
    private func fileFields() -> ByteBuffer {
        var fields = ByteBuffer()
        fields.reserveCapacity(64 + entries.count * 100)
        fields.writeText(Self.format)
        fields.writeInteger(UInt8(root == nil ? 0 : 1))
        fields.writeInteger(root ?? 0)
        fields.writeInteger(UInt32(entries.count))
        for (path, entry) in entries {
            fields.writeInteger(UInt8(entry.inputs == nil ? 0 : 1))
            fields.writeDigest(entry.inputs ?? ContentDigest(high: 0, low: 0))
            fields.writeInteger(Int64(entry.stamp.size))
            fields.writeInteger(Int64(entry.stamp.modifiedNanoseconds))
            fields.writeInteger(entry.stamp.inode)
            fields.writeText(path)
        }
        return fields
    }

    /// Each open-data file's chunks, each page's rows and each download's SHA-256 states.
    private func otherFields() -> ByteBuffer {
        var fields = ByteBuffer()
        fields.reserveCapacity(chunks.values.reduce(0) { $0 + 64 + $1.count * 32 } + rows.values.reduce(0) { $0 + $1.utf8.count + 80 })
        fields.writeTable(chunks) { fields, chunks in
            fields.writeTable(chunks) { fields, range in
                fields.writeInteger(UInt64(range.lowerBound))
                fields.writeInteger(UInt64(range.upperBound))
            }
        }
        fields.writeTable(rows) { $0.writeText($1) }
        fields.writeTable(hashStates) { fields, states in
            fields.writeTable(states) { fields, state in
                fields.writeInteger(UInt32(state.bytes.count))
                fields.writeBytes(state.bytes)
            }
        }
        return fields
    }
}

extension BuildManifest {
    /// The files it lists that no longer have the stamps it records below `root` — edited,
    /// replaced or gone — usually none; `nil` when `root` cannot be opened. A table of every
    /// stamp found, merged from the threads and looked up again for each file, cost a rebuild
    /// more than the comparisons.
    ///
    /// Stamped on several threads at once: where the files' folders are out of the kernel's
    /// caches — this VM pages out what goes a minute unread, and another program's build evicts
    /// them — each `stat` waits on the disk for its folder; one after the other, a province's
    /// 22,000 were 1.4 s of a rebuild. Each is looked up from the root, open once: from `/`,
    /// walking the folders above the root again for every file was a third of the lookups' time.
    func filesAltered(below root: String) -> Set<String>? {
        guard let folder = OpenFile(folderAt: root) else { return nil }
        let listed = Array(entries)
        let threads = 8
        let altered = Parallel.onThreads(threads) { part in
            stride(from: part, to: listed.count, by: threads).compactMap { index in
                FileStamp(path: listed[index].key, in: folder) == listed[index].value.stamp ? nil : listed[index].key
            }
        }
        return Set(altered.joined())
    }
}
