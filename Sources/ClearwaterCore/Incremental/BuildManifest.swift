import Foundation

/// What the last build wrote: for each output file, the digest of what it was made from (for
/// pages that have one, see `RouteInputs`) and its stamp on disk just after writing.
///
/// Kept beside the output folder (`.public.clearwater.manifest`), so it is never published.
/// It needs no care when a build dies: it only vouches for files whose size, modification
/// time and inode still match, and a swapped-in build changes those of every file it wrote.
/// `root INODE` names the tree's root folder; then one line per file, `INPUTS SIZE MTIME INODE PATH`,
/// then one per chunk of an open-data file (`EnterpriseChunks`), `chunk KEY START END PATH`,
/// then one per page with summary tables whose rows a rebuild may copy, `rows ROWS PATH`
/// (`RenderedRows.encoded`), then one per piece of a download whose SHA-256 the data package
/// gives, `sha256 OFFSET STATE PATH` (`ResumableSHA256.State` in hex);
/// read with a split rather than a JSON decoder: a province site has tens of thousands of
/// lines, read on every rebuild.
///
/// When a swap takes the tree out, its manifest is kept beside the new one as the spare's
/// (`.public.clearwater.spare-manifest`), so that `TreeListing` knows what the spare holds.
struct BuildManifest: Sendable {
    static let format = "clearwater-manifest 6"

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
    /// Split as bytes: splitting the text as a `String`, a `Character` at a time, took a
    /// tenth of a second per province rebuild, on a core that the loading needs.
    ///
    /// - Parameter filesOnly: only each file's stamp, as `TreeListing` needs of the spare's
    ///   manifest: a province's 30,000 chunks, its rows and each file's inputs are skipped.
    static func read(at location: URL, filesOnly: Bool = false) -> BuildManifest? {
        // Stamped before reading: were the file replaced in between, the older time only makes
        // `TreeListing` doubt more folders. Mapped rather than read (`MappedFile`): a province's
        // manifest is 7 MB, which reading copied into memory touched for the first time.
        guard let stamp = FileStamp(path: location.path), let mapped = MappedFile(readingAt: location.path) else { return nil }
        return withExtendedLifetime(mapped) { () -> BuildManifest? in
            let bytes = mapped.bytes
            var lines = Lines(bytes)
            guard let first = lines.next(), first.elementsEqual(format.utf8) else { return nil }
            var manifest = BuildManifest()
            manifest.written = stamp.modifiedNanoseconds
            manifest.entries.reserveCapacity(Lines(bytes).count)
            // A file's chunks stand together: gathered, and its path made a string, once per file.
            var chunkFile: (path: UnsafeRawBufferPointer, chunks: [ContentDigest: Range<Int>])?
            func keepChunks() {
                guard let chunkFile else { return }
                let path = chunkFile.path.text
                // Put in whole, not merged into an empty table: merged only where a file's chunks stand apart.
                if manifest.chunks[path] == nil {
                    manifest.chunks[path] = chunkFile.chunks
                } else {
                    manifest.chunks[path]?.merge(chunkFile.chunks) { $1 }
                }
            }
            while let line = lines.next() {
                var fields = Fields(line)
                guard let head = fields.next() else { return nil }
                let isChunk = head.equals("chunk")
                if filesOnly, isChunk || head.equals("rows") || head.equals("sha256") { continue }
                if head.equals("root"), !fields.rest.contains(0x20) {
                    manifest.root = fields.rest.number
                    continue
                }
                if head.equals("rows") {
                    // The path is the rest of the line, spaces and all.
                    guard let rows = fields.next() else { return nil }
                    manifest.rows[fields.rest.text] = rows.text
                    continue
                }
                if head.equals("sha256") {
                    guard let offset = fields.next()?.integer, let state = fields.next().flatMap(HexDigits.bytes) else { return nil }
                    manifest.hashStates[fields.rest.text, default: [:]][offset] = ResumableSHA256.State(bytes: state)
                    continue
                }
                // Four fields, then the path: the rest of the line.
                guard let second = fields.next(), let third = fields.next(), let fourth = fields.next() else { return nil }
                let path = fields.rest
                if isChunk {
                    guard let key = ContentDigest(hex: second), let start = third.integer, let end = fourth.integer, start <= end else { return nil }
                    if chunkFile?.path.equals(path) != true {
                        keepChunks()
                        chunkFile = (path, [:])
                    }
                    chunkFile?.chunks[key] = start..<end
                    continue
                }
                guard let size = second.integer, let modified = third.integer, let inode = fourth.number else { return nil }
                var inputs: ContentDigest?
                if !filesOnly, !head.equals("-") {
                    guard let digest = ContentDigest(hex: head) else { return nil }
                    inputs = digest
                }
                manifest.entries[path.text] = Entry(inputs: inputs, stamp: FileStamp(size: size, modifiedNanoseconds: modified, inode: inode))
            }
            keepChunks()
            return manifest
        }
    }

    /// Writes the manifest beside the output under a temporary name (`PendingStore`), for its
    /// build to put in place once swapped in.
    func prepare(for output: URL) throws -> PendingStore {
        try prepare(at: Self.location(of: output))
    }

    func prepare(at location: URL) throws -> PendingStore {
        // The files' lines on this thread, the chunks' and rows' on another: at the end of every
        // rebuild, while a core waits.
        let (rest, files) = Parallel.both({ [self] in otherLines() }, { fileLines() })
        var text = files
        if !text.isEmpty { text += rest }
        do {
            return try PendingStore.write(at: location, keepingSpareCopy: true) { file in _ = try text.withUnsafeBytes { try file.writeAll($0) } }
        } catch {
            throw OutputWriter.Failure(description: "cannot write \(location.path).new: \(OutputWriter.reason(error))")
        }
    }

    /// The format line, the root and a line per file; empty when a path cannot be listed.
    ///
    /// Bytes, where a `String` grown by interpolation took most of the time: tens of thousands
    /// of lines at province scale. In no particular order: reading puts every line in a
    /// dictionary, and sorting a province's paths was a fifth of writing them, at the end of
    /// every rebuild.
    private func fileLines() -> [UInt8] {
        var text = Array((Self.format + "\n" + (root.map { "root \($0)\n" } ?? "")).utf8)
        text.reserveCapacity(entries.count * 120)
        for (path, entry) in entries {
            if let inputs = entry.inputs {
                inputs.appendHex(to: &text)
                text.append(0x20)
            } else {
                text.appendField("-")
            }
            text.appendField(entry.stamp.size)
            text.appendField(entry.stamp.modifiedNanoseconds)
            text.appendField(entry.stamp.inode)
            let start = text.count
            text.appendField(path)
            // A path with a line break cannot be listed; an empty manifest makes the next build full.
            guard !text.containsLineBreak(from: start) else { return [] }
            text.endLine()
        }
        return text
    }

    /// A line per chunk of an open-data file, a file's together, then one per page's rows; in
    /// no particular order otherwise, as the files' lines.
    private func otherLines() -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(chunks.values.reduce(0) { $0 + $1.count } * 90 + rows.values.reduce(0) { $0 + $1.utf8.count + 80 })
        for (path, chunks) in chunks where !path.utf8.contains(0x0A) {
            for (key, range) in chunks {
                text.appendField("chunk")
                key.appendHex(to: &text)
                text.append(0x20)
                text.appendField(range.lowerBound)
                text.appendField(range.upperBound)
                text.appendField(path)
                text.endLine()
            }
        }
        for (path, rows) in rows where !path.utf8.contains(0x0A) {
            text.appendField("rows")
            text.appendField(rows)
            text.appendField(path)
            text.endLine()
        }
        for (path, states) in hashStates where !path.utf8.contains(0x0A) {
            for (offset, state) in states {
                text.appendField("sha256")
                text.appendField(offset)
                text.appendField(HexDigits.hex(state.bytes))
                text.appendField(path)
                text.endLine()
            }
        }
        return text
    }
}

/// The non-empty lines of a manifest's bytes, each found with `memchr`: splitting the bytes
/// into an array of lines, a byte at a time, was a fifth of reading a province's manifest.
private struct Lines: IteratorProtocol {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func next() -> UnsafeRawBufferPointer? {
        while offset < bytes.count {
            let (base, start) = (bytes.baseAddress!, offset)
            let end = memchr(base + start, 0x0A, bytes.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
            offset = end + 1
            if end > start { return UnsafeRawBufferPointer(start: base + start, count: end - start) }
        }
        return nil
    }

    /// How many lines are left: room for the manifest's entries is made at once.
    var count: Int {
        var rest = self, count = 0
        while rest.next() != nil { count += 1 }
        return count
    }
}

/// A line's space-separated fields, each found with `memchr` and handed out as a buffer of its
/// own: through slices of the mapped bytes, the generic searches and comparisons went a byte at
/// a time and were most of reading a province's manifest, at the start of every rebuild.
private struct Fields {
    /// What is left of the line after the fields handed out: a path, spaces and all.
    private(set) var rest: UnsafeRawBufferPointer

    init(_ line: UnsafeRawBufferPointer) {
        rest = line
    }

    /// The bytes before the next space; `nil` when no space is left.
    mutating func next() -> UnsafeRawBufferPointer? {
        guard let base = rest.baseAddress, let space = memchr(base, 0x20, rest.count) else { return nil }
        let length = base.distance(to: UnsafeRawPointer(space))
        defer { rest = UnsafeRawBufferPointer(start: base + length + 1, count: rest.count - length - 1) }
        return UnsafeRawBufferPointer(start: base, count: length)
    }
}

private extension UnsafeRawBufferPointer {
    var text: String { String(decoding: self, as: UTF8.self) }

    func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        count == other.count && (count == 0 || memcmp(baseAddress!, other.baseAddress!, count) == 0)
    }

    func equals(_ word: StaticString) -> Bool {
        equals(UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    /// Digits read where they stand: a string made for each of a province's hundred thousand
    /// numbers, most of them nanosecond times too long to be stored inline, cost more than the rest.
    var number: UInt64? {
        guard !isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in self {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (tens, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = tens.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }

    var integer: Int? { number.flatMap { Int(exactly: $0) } }
}

private extension [UInt8] {
    mutating func appendField(_ value: String) {
        self += value.utf8
        append(0x20)
    }

    /// A time before 1970 keeps its sign, which reading refuses: the next build is then full.
    mutating func appendField(_ value: some BinaryInteger) {
        appendDecimal(value)
        append(0x20)
    }

    /// The last field's space becomes the line's end.
    mutating func endLine() { self[count - 1] = 0x0A }

    /// Whether the bytes from `start` on hold a line break: looked for with `memchr`, where
    /// the `String`'s own search of each of a province's 22,000 paths went a byte at a time.
    func containsLineBreak(from start: Int) -> Bool {
        withUnsafeBufferPointer { bytes in
            start < bytes.count && memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) != nil
        }
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
