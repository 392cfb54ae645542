import CLinux
import Foundation
import NIOCore
import SystemPackage

/// The rows of `disclosures.csv` as a build decoded them, kept beside the output with the
/// file's text so that the next build decodes only the rows that changed.
///
/// At province scale the file has half a million rows, and decoding and checking them all was
/// the largest part of a rebuild after one changed row. The text is kept, not digests of the
/// rows, so what is reused is known to be byte for byte what was decoded.
struct DecodedDisclosures: Sendable {
    /// Where each row's record ends: at the next record, or at the blank lines before it.
    var ends: [DataTable.Position] = []
    /// The rows' disclosures in file order; an embargoed row has none.
    var disclosures: [Disclosure] = []
    /// The embargoed rows, ascending by their place among all rows, with their keys: they
    /// count for repeated keys.
    var withheld: [(row: Int, key: DisclosuresDataset.Key)] = []
    /// Where these rows' disclosures are already encoded: in the store they were read from,
    /// all but one run replaced since. Writing the store again copies those bytes rather than
    /// encoding half a million disclosures anew.
    var stored: Stored?
    /// The site's order of these rows, kept in the store with them: it stands while every row
    /// keeps its key, and is dropped once one does not.
    var ordering: KeptOrdering?
    /// The rows' digests as the build that kept these rows made them, kept in the store too.
    var digests: DisclosuresText.Kept?
    /// What the rows decoded anew since the store was read, and those they replaced, are of;
    /// `nil` when every row was decoded.
    var changes: RowChanges?

    var rowCount: Int { ends.count }

    mutating func append(end: DataTable.Position, key: DisclosuresDataset.Key, disclosure: Disclosure?) {
        if let disclosure { disclosures.append(disclosure) } else { withheld.append((ends.count, key)) }
        ends.append(end)
    }

    mutating func reserveCapacity(_ rows: Int) {
        ends.reserveCapacity(rows)
        disclosures.reserveCapacity(rows)
    }

    /// Appends the rows of `other` but those at the places in `dropped`. The appended rows
    /// are not in the store this build's rows were read from.
    mutating func append(contentsOf other: DecodedDisclosures, droppingRows dropped: Set<Int>) {
        stored = nil
        ordering = nil
        (digests, changes) = (nil, nil)
        guard dropped.isEmpty else {
            var disclosure = 0, withheld = other.withheld[...]
            for row in 0..<other.rowCount {
                let withheldKey = withheld.first?.row == row ? withheld.popFirst()?.key : nil
                defer { if withheldKey == nil { disclosure += 1 } }
                guard !dropped.contains(row) else { continue }
                if let withheldKey { self.withheld.append((ends.count, withheldKey)) } else { disclosures.append(other.disclosures[disclosure]) }
                ends.append(other.ends[row])
            }
            return
        }
        withheld += other.withheld.map { (ends.count + $0.row, $0.key) }
        disclosures += other.disclosures
        ends += other.ends
    }

    /// Replaces the rows in `replaced` with `fresh`, and moves the rows after them by `shift`
    /// bytes and `lineShift` lines. In place: a copy of half a million disclosures, and the
    /// release of the old ones, cost more than decoding the rows that changed.
    mutating func replaceRows(_ replaced: Range<Int>, with fresh: DecodedDisclosures, shift: Int, lineShift: Int) {
        let replacedDisclosures = disclosureCount(before: replaced.lowerBound)..<disclosureCount(before: replaced.upperBound)
        if !fresh.hasKeys(of: self, rows: replaced) { ordering = nil }
        var changes = RowChanges()
        changes.add(keys(ofRows: replaced))
        changes.add(fresh.keys(ofRows: 0..<fresh.rowCount))
        self.changes = changes
        stored = stored?.splicing(replacedDisclosures, with: fresh.disclosures.count)
        disclosures.replaceSubrange(replacedDisclosures, with: fresh.disclosures)
        let rowShift = fresh.rowCount - replaced.count
        withheld = withheld.filter { $0.row < replaced.lowerBound } + fresh.withheld.map { ($0.row + replaced.lowerBound, $0.key) }
            + withheld.filter { $0.row >= replaced.upperBound }.map { ($0.row + rowShift, $0.key) }
        for row in replaced.upperBound..<ends.count {
            ends[row] = DataTable.Position(offset: ends[row].offset + shift, line: ends[row].line + lineShift)
        }
        ends.replaceSubrange(replaced, with: fresh.ends)
    }

    /// Whether these rows have the keys `other`'s rows at `rows` have, in order, embargoed
    /// where those are: the site's order of the rows then stands.
    private func hasKeys(of other: DecodedDisclosures, rows: Range<Int>) -> Bool {
        guard rowCount == rows.count else { return false }
        let otherWithheld = other.withheld.filter { rows.contains($0.row) }
        guard otherWithheld.count == withheld.count,
              zip(otherWithheld, withheld).allSatisfy({ $0.row - rows.lowerBound == $1.row && $0.key == $1.key }) else { return false }
        let otherDisclosures = other.disclosures[other.disclosureCount(before: rows.lowerBound)..<other.disclosureCount(before: rows.upperBound)]
        return zip(otherDisclosures, disclosures).allSatisfy { DisclosuresDataset.Key($0) == DisclosuresDataset.Key($1) }
    }

    /// The keys of the rows at `rows`, embargoed or not, in no particular order.
    func keys(ofRows rows: Range<Int>) -> [DisclosuresDataset.Key] {
        disclosures[disclosureCount(before: rows.lowerBound)..<disclosureCount(before: rows.upperBound)].map(DisclosuresDataset.Key.init)
            + withheld.filter { rows.contains($0.row) }.map(\.key)
    }

    /// The disclosures of the rows before `row`: a row has one unless it is embargoed.
    private func disclosureCount(before row: Int) -> Int {
        row - withheld.prefix { $0.row < row }.count
    }

    /// The number of rows that end before `offset`.
    func rowsEnding(before offset: Int) -> Int {
        var low = 0, high = ends.count
        while low < high {
            let middle = (low + high) / 2
            if ends[middle].offset < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The row that ends at `offset`, if one does.
    func row(endingAt offset: Int) -> Int? {
        let row = rowsEnding(before: offset)
        return row < ends.count && ends[row].offset == offset ? row : nil
    }

    /// Whether a row outside `replaced` has one of `keys`.
    ///
    /// These rows' keys are all different (rows with a repeated key are never kept), so none
    /// of the keys the replaced rows had is found outside them: when `keys` are among those,
    /// the usual edit of a figure, no row is looked at. Otherwise, keys of a few enterprises
    /// are looked up only for rows of those enterprises, found by comparing ids: hashing the
    /// key of each of half a million rows cost more.
    func repeatsAny(of keys: Set<DisclosuresDataset.Key>, outside replaced: Range<Int>) -> Bool {
        if keys.isSubset(of: self.keys(ofRows: replaced)) { return false }
        let ids = Array(Set(keys.map(\.enterpriseID)))
        let isRepeat: (Disclosure) -> Bool = ids.count <= 16
            ? { disclosure in ids.contains(disclosure.enterpriseID) && keys.contains(DisclosuresDataset.Key(disclosure)) }
            : { keys.contains(DisclosuresDataset.Key($0)) }
        return disclosures[..<disclosureCount(before: replaced.lowerBound)].contains(where: isRepeat)
            || disclosures[disclosureCount(before: replaced.upperBound)...].contains(where: isRepeat)
            || withheld.contains { !replaced.contains($0.row) && keys.contains($0.key) }
    }
}

extension DecodedDisclosures {
    /// The disclosures' bytes in a store file: the tables their text numbers refer to, and
    /// where each disclosure starts in the file.
    struct Stored: Sendable {
        /// Open since it was read: a newer store is written into another file and exchanged
        /// with it (`writeStore`), and only the next build writes into this one, so these bytes
        /// stay the ones read while this build copies them.
        let file: OpenFile
        let texts: [String]
        let destinations: [Localized]
        /// Where the first disclosure starts in the file, and how many there are, each
        /// `Store.recordSize` bytes.
        let start: Int
        let count: Int
        /// The run of disclosures decoded since, by their place in the rows, and the place in
        /// the file's disclosures where the kept ones resume after it.
        var fresh: Range<Int>?
        var resumesAt = 0

        /// The file's disclosures kept before the fresh run, and after it.
        var kept: (before: Range<Int>, after: Range<Int>) {
            guard let fresh else { return (0..<count, count..<count) }
            return (0..<fresh.lowerBound, resumesAt..<count)
        }

        /// One run only: a second would need the file's places of the first's neighbours.
        func splicing(_ replaced: Range<Int>, with count: Int) -> Stored? {
            guard fresh == nil else { return nil }
            var spliced = self
            spliced.fresh = replaced.lowerBound..<(replaced.lowerBound + count)
            spliced.resumesAt = replaced.upperBound
            return spliced
        }

        /// Where the disclosure at `index` starts in the file; at `count`, where the last one ends.
        func bound(_ index: Int) -> Int {
            start + index * Store.recordSize
        }
    }

    /// The rows a previous build decoded, and how its file's text compares with this build's.
    struct Previous {
        let decoded: DecodedDisclosures
        /// The size of the text it was decoded from.
        let size: Int
        /// How many bytes the two texts share at their start, and then at their end.
        let commonPrefix: Int
        let commonSuffix: Int
        /// The digests of the previous text, for this build's text's (`TextBlocks.Shared`).
        let blocks: TextBlocks

        /// The same text, decoded against the same context: the store already holds what this
        /// build would write there.
        let isCurrent: Bool
        /// What the rows' enterprise ids were checked against (`Store.enterprises`): the rows
        /// are taken only where it is what this build checks them against.
        let enterprises: String
    }

    /// The file beside the output that keeps them, and what they were decoded against: a row's
    /// meaning depends on the vocabulary, the build day (embargoes) and the program that decoded
    /// it, so a change to any of those is a different `context`, and on the enterprises it may
    /// name (`enterprises`), which the loader knows only later: the rows are read and decoded
    /// meanwhile, and taken only if those are the same.
    ///
    /// Written by hand rather than with a serialisation library: only the program that wrote it
    /// reads it (the context says which), and a format without per-field tags reads half a
    /// million rows in tens of milliseconds. A row's texts are numbers in a table of every
    /// distinct text: ids, codes and sources recur on thousands of rows, and a string read per
    /// field was most of reading the rows. Layout: format, context, enterprises, the digests of the text
    /// (`TextBlocks`) and their CRC-32C (`Checksum`), the rows with the tables of texts and
    /// destinations and the tables' offset, their CRC-32C, the site's order of the rows
    /// (`KeptOrdering`, none when empty) and its CRC-32C, the rows' digests (`DisclosuresText.Kept`,
    /// none when empty) and their CRC-32C, format again. The checksums are
    /// checked on reading: the rows become published figures, and a damaged byte in them would
    /// otherwise pass for one. A rebuild's store copies the kept disclosures' bytes from the
    /// previous one, with the same tables and any new texts after them: encoding every
    /// disclosure again was most of writing it.
    struct Store: Sendable {
        static let format = "clearwater-decoded-disclosures 8"

        /// Every disclosure takes the same bytes (eight text numbers, the year, two decimals
        /// each with its presence byte, room kept for an absent one), so that the disclosures
        /// can be read in halves on two cores: one core reading all half million was the
        /// longest path of a province rebuild's loading.
        static let recordSize = 8 * 4 + 4 + 2 * (1 + MemoryLayout<Decimal>.size)

        let location: URL
        let context: String
        /// The bytes each digest of the text covers: small in tests, for edits to fall in
        /// blocks of their own.
        let blockSize: Int
        /// A digest of the enterprise ids the rows written are checked against.
        var enterprises = ""

        static func location(of output: URL) -> URL {
            output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.disclosures")
        }

        /// `inputs` digests what the rows were checked against; the program is added here.
        /// `nil` where the program's executable cannot be found.
        init?(location: URL, inputs: String, blockSize: Int = TextBlocks.defaultSize) {
            guard let program = FileStamp.executable else { return nil }
            (self.location, self.blockSize) = (location, blockSize)
            context = StableHash.hex(inputs, program.description)
        }

        /// `nil` when there is none, it was decoded against another context, or it is damaged;
        /// also when the texts' headers differ, where nothing could be reused. Every field is
        /// read where the file is mapped (`MappedFile`).
        func read(comparingWith text: TextBytes, firstRow: Int) -> Previous? {
            guard let file = OpenFile(readingAt: location.path), let mapped = MappedFile(file) else { return nil }
            var reader = StoredFieldReader(mapped.bytes)
            guard reader.readText() == Self.format, reader.readText() == context, let enterprises = reader.readText() ?? nil,
                  let blocksBytes = reader.readCheckedSection() else { return nil }
            var blocksBuffer = ByteBuffer(bytes: blocksBytes)
            guard let blocks = TextBlocks(reading: &blocksBuffer) else { return nil }
            let (prefix, suffix) = blocks.commonEnds(with: text, body: firstRow)
            guard prefix >= firstRow else { return nil }
            // Where the rows' bytes start in the file, after their section's size: decoded where they lie.
            let rowsStart = reader.offset + MemoryLayout<UInt64>.size
            guard let rows = reader.readCheckedSection(), let orderingBytes = reader.readCheckedSection(), let digestsBytes = reader.readCheckedSection(),
                  reader.readText() == Self.format, reader.left == 0,
                  var decoded = Self.decodeRows(rowsStart..<(rowsStart + rows.count), of: mapped, file: file) else { return nil }
            var orderingReader = StoredFieldReader(orderingBytes), digestsReader = StoredFieldReader(digestsBytes)
            decoded.ordering = orderingBytes.isEmpty ? nil : KeptOrdering(reading: &orderingReader)
            decoded.digests = digestsBytes.isEmpty ? nil : DisclosuresText.Kept(reading: &digestsReader)
            let textSize = blocks.textSize
            return Previous(decoded: decoded, size: textSize, commonPrefix: prefix, commonSuffix: suffix, blocks: blocks,
                            isCurrent: prefix == textSize && textSize == text.count, enterprises: enterprises)
        }

        /// Streamed into the store (`writeStore`), a megabyte at a time, with the digests of
        /// the rows' text; `ordering`: the site's order of the rows; `digests`: the rows' digests
        /// as this build made them (`DisclosuresText.digests`). The text is let go before
        /// the rows are written: a province's is 117 MB, mapped, and the rows are written while
        /// the site renders.
        func write(_ rows: consuming DisclosuresText, ordering: KeptOrdering?, digests: DisclosuresText.Kept?) throws {
            let textBlocks = rows.blocks
            let decoded = (consume rows).decoded
            try writeStore(at: location, keepingSpareCopy: true) { file in
                var buffer = ByteBuffer()
                buffer.writeText(Self.format)
                buffer.writeText(context)
                buffer.writeText(enterprises)
                var blocks = ByteBuffer()
                textBlocks.write(to: &blocks)
                buffer.writeCheckedSection(&blocks)
                try buffer.flush(to: file)
                let rowsStart = try file.seek(offset: 0, from: .current)
                buffer.writeInteger(UInt64(0)) // the rows' size, filled in below
                try buffer.flush(to: file)
                var checksum = Checksum()
                try Self.encodeRows(decoded, into: &buffer, file: file, from: Int(rowsStart) + 8, checksum: &checksum)
                let rowsEnd = try file.seek(offset: 0, from: .current)
                var size = ByteBuffer()
                size.writeInteger(UInt64(rowsEnd - rowsStart - 8))
                _ = try size.withUnsafeReadableBytes { try file.writeAll(toAbsoluteOffset: rowsStart, $0) }
                buffer.writeBytes(checksum.bytes)
                var kept = ByteBuffer()
                ordering?.write(to: &kept)
                buffer.writeCheckedSection(&kept)
                digests?.write(to: &kept)
                buffer.writeCheckedSection(&kept)
                buffer.writeText(Self.format)
                try buffer.flush(to: file)
            }
        }

        /// Writes the rows, an empty `buffer` at a time, from `start` in the file on, each part
        /// also fed to `checksum`.
        private static func encodeRows(_ decoded: DecodedDisclosures, into buffer: inout ByteBuffer, file: SystemPackage.FileDescriptor, from start: Int,
                                       checksum: inout Checksum) throws {
            func flush() throws {
                buffer.withUnsafeReadableBytes { checksum.update($0) }
                try buffer.flush(to: file)
            }
            buffer.writeInteger(UInt64(decoded.ends.count))
            // Stored in one go, as `writeInteger` would (big-endian): an integer at a time, with
            // the buffer's checks for each, a province's million took a third of writing the store.
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: decoded.ends.count * 16) { target in
                for (index, end) in decoded.ends.enumerated() {
                    target.storeBytes(of: UInt64(end.offset).bigEndian, toByteOffset: index * 16, as: UInt64.self)
                    target.storeBytes(of: UInt64(end.line).bigEndian, toByteOffset: index * 16 + 8, as: UInt64.self)
                }
                return decoded.ends.count * 16
            }
            buffer.writeInteger(UInt64(decoded.withheld.count))
            for (row, key) in decoded.withheld {
                buffer.writeInteger(UInt64(row))
                buffer.writeKey(key)
            }
            buffer.writeInteger(UInt64(decoded.disclosures.count))
            // Numbered as the stored disclosures' tables number them, new texts after those.
            var texts = Interned(decoded.stored?.texts ?? []), destinations = Interned(decoded.stored?.destinations ?? [])
            var enterpriseID = Interned<String>.Field(), pollutant = enterpriseID, medium = enterpriseID, unit = enterpriseID, method = enterpriseID
            var basis = enterpriseID, source = enterpriseID, destination = Interned<Localized>.Field()
            // The bytes of the file's disclosures in `range`, a megabyte at a time, read straight
            // into the buffer they are written from, not into a new buffer of their own for each
            // megabyte and then copied into this one.
            func copy(_ range: Range<Int>, of stored: Stored) throws {
                var offset = stored.bound(range.lowerBound)
                let end = stored.bound(range.upperBound)
                while offset < end {
                    let count = min(end - offset, 1 << 20)
                    let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { [offset] target in
                        try stored.file.descriptor.read(fromAbsoluteOffset: Int64(offset), into: UnsafeMutableRawBufferPointer(rebasing: target[..<count]))
                    }
                    // The records were read from this file whole: it cannot end before them unless damaged since.
                    guard read > 0 else { throw Errno.ioError }
                    offset += read
                    try flush()
                }
            }
            if let stored = decoded.stored { try copy(stored.kept.before, of: stored) }
            for disclosure in decoded.disclosures[decoded.stored.map { $0.fresh ?? 0..<0 } ?? decoded.disclosures.indices] {
                buffer.writeInteger(texts.number(of: disclosure.enterpriseID, inField: &enterpriseID))
                buffer.writeInteger(Int32(clamping: disclosure.year))
                buffer.writeInteger(texts.number(of: disclosure.pollutant, inField: &pollutant))
                buffer.writeInteger(texts.number(of: disclosure.medium, inField: &medium))
                buffer.writeDecimal(disclosure.amount.value)
                buffer.writeInteger(texts.number(of: disclosure.amount.unit.rawValue, inField: &unit))
                buffer.writeInteger(texts.number(of: disclosure.method, inField: &method))
                buffer.writeInteger(destinations.number(of: disclosure.destination, inField: &destination))
                buffer.writeDecimal(disclosure.limit)
                buffer.writeInteger(texts.number(of: disclosure.basis?.rawValue, inField: &basis))
                buffer.writeInteger(texts.number(of: disclosure.source, inField: &source))
                if buffer.readableBytes >= 1 << 20 { try flush() }
            }
            if let stored = decoded.stored { try copy(stored.kept.after, of: stored) }
            // Where the tables start, counted from the start of the rows.
            let tables = Int(try file.seek(offset: 0, from: .current)) + buffer.readableBytes - start
            buffer.writeList(texts.values) { $0.writeText($1) }
            buffer.writeList(destinations.values) { $0.writeLocalized($1) }
            buffer.writeInteger(UInt64(tables))
            try flush()
        }

        /// The rows that lie at `range` in `file`, read where `mapped` maps them.
        private static func decodeRows(_ range: Range<Int>, of mapped: MappedFile, file: OpenFile) -> DecodedDisclosures? {
            var rows = StoredFieldReader(UnsafeRawBufferPointer(rebasing: mapped.bytes[range]))
            guard range.count >= 8, let tablesOffset = rows.integer(at: range.count - 8, as: UInt64.self), tablesOffset <= UInt64(range.count - 8) else { return nil }
            let tablesStart = Int(tablesOffset)
            var tables = StoredFieldReader(UnsafeRawBufferPointer(rebasing: mapped.bytes[(range.lowerBound + tablesStart)..<(range.upperBound - 8)]))
            guard let (texts, destinations) = decodeTables(&tables) else { return nil }
            var decoded = DecodedDisclosures()
            guard let rowCount = rows.readInteger(as: UInt64.self), rowCount <= UInt64(rows.left / 16) else { return nil }
            decoded.ends.reserveCapacity(Int(rowCount))
            for _ in 0..<rowCount {
                guard let offset = rows.readInteger(as: UInt64.self), let line = rows.readInteger(as: UInt64.self) else { return nil }
                decoded.ends.append(DataTable.Position(offset: Int(clamping: offset), line: Int(clamping: line)))
            }
            guard let withheldCount = rows.readInteger(as: UInt64.self), withheldCount <= rowCount else { return nil }
            for _ in 0..<withheldCount {
                guard let row = rows.readInteger(as: UInt64.self), row < rowCount, let key = rows.readKey() else { return nil }
                decoded.withheld.append((Int(row), key))
            }
            guard let disclosureCount = rows.readInteger(as: UInt64.self), disclosureCount == rowCount - withheldCount,
                  rows.offset + Int(disclosureCount) * recordSize == tablesStart else { return nil }
            let (start, count) = (range.lowerBound + rows.offset, Int(disclosureCount))
            let records = Records(texts: texts, destinations: destinations)
            // Each half decoded straight into its place in one array, on a core of its own.
            var complete = true
            decoded.disclosures = Array(unsafeUninitializedCapacity: count) { buffer, initialized in
                let halves = [0..<(count / 2), (count / 2)..<count].map { Half(buffer: UnsafeMutableBufferPointer(rebasing: buffer[$0]), first: $0.lowerBound) }
                let (first, second) = Parallel.both({ records.decode(mapped, from: start, into: halves[0]) },
                                                    { records.decode(mapped, from: start, into: halves[1]) })
                if first == halves[0].buffer.count, second == halves[1].buffer.count {
                    initialized = count
                } else {
                    halves[0].buffer.prefix(first).deinitialize()
                    halves[1].buffer.prefix(second).deinitialize()
                    (initialized, complete) = (0, false)
                }
            }
            guard complete else { return nil }
            decoded.stored = Stored(file: file, texts: texts, destinations: destinations, start: start, count: count)
            return decoded
        }

        /// Where one core decodes its half of the disclosures: memory of one array that no other
        /// thread touches, hence sendable.
        private struct Half: @unchecked Sendable {
            let buffer: UnsafeMutableBufferPointer<Disclosure>
            /// The place of its first disclosure among all.
            let first: Int
        }

        /// Reads disclosures from their records, with the tables their text numbers refer to.
        private struct Records: Sendable {
            let texts: [String]
            let destinations: [Localized]

            /// Initializes `half` with its disclosures from the records from `start` in `file` on,
            /// and returns how many it initialized: fewer than asked where one is damaged.
            func decode(_ file: MappedFile, from start: Int, into half: Half) -> Int {
                let first = start + half.first * recordSize, end = first + half.buffer.count * recordSize
                guard end <= file.bytes.count else { return 0 }
                var rows = StoredFieldReader(UnsafeRawBufferPointer(rebasing: file.bytes[first..<end]))
                // The half's 36 MB of new memory filled in one call: a page fault per page was half
                // of decoding a province's rows (149 of 316 samples; 110 with the call).
                clearwater_prefault_for_writing(half.buffer.baseAddress, half.buffer.count * MemoryLayout<Disclosure>.stride)
                // Copies of the tables for this half alone: the halves decode on two cores at once,
                // and each row retains its texts' and destination's storage, so rows sharing one
                // object fought over its reference count's cache line (contended retains were a
                // quarter of decoding a province's rows).
                let (texts, destinations) = (self.texts.map(\.unshared), self.destinations.map(\.unshared))
                let units = texts.map(MassUnit.init(rawValue:)), bases = texts.map(Basis.init(rawValue:))
                // A text's number read from the file: `.some(nil)` for none, `nil` when out of the table.
                func text(_ number: UInt32?) -> String?? {
                    guard let number else { return nil }
                    if number == Interned<String>.none { return .some(nil) }
                    return Int(number) < texts.count ? texts[Int(number)] : nil
                }
                for index in half.buffer.indices {
                    guard let enterpriseID = text(rows.readInteger()) ?? nil, let year = rows.readInteger(as: Int32.self),
                          let pollutant = text(rows.readInteger()) ?? nil, let medium = text(rows.readInteger()) ?? nil,
                          let amount = rows.readDecimal() ?? nil,
                          let unitNumber = rows.readInteger(as: UInt32.self), Int(unitNumber) < units.count, let unit = units[Int(unitNumber)],
                          let method = text(rows.readInteger()), let destination = rows.readInteger(as: UInt32.self),
                          let limit = rows.readDecimal(), let basisNumber = rows.readInteger(as: UInt32.self),
                          let source = text(rows.readInteger()) else { return index }
                    let basis = basisNumber == Interned<String>.none ? nil : Int(basisNumber) < bases.count ? bases[Int(basisNumber)] : nil
                    guard basisNumber == Interned<String>.none || basis != nil,
                          destination == Interned<Localized>.none || Int(destination) < destinations.count else { return index }
                    (half.buffer.baseAddress! + index).initialize(to: Disclosure(
                        enterpriseID: enterpriseID, year: Int(year), pollutant: pollutant, medium: medium, amount: Mass(amount, unit),
                        method: method, destination: destination == Interned<Localized>.none ? nil : destinations[Int(destination)],
                        limit: limit, basis: basis, source: source))
                }
                return half.buffer.count
            }
        }

        private static func decodeTables(_ tables: inout StoredFieldReader) -> ([String], [Localized])? {
            guard let texts = tables.readList({ $0.readText() ?? nil }), let destinations = tables.readList({ $0.readLocalized() ?? nil }) else { return nil }
            return tables.left == 0 ? (texts, destinations) : nil
        }
    }
}

extension DisclosuresDataset.Key {
    init(_ disclosure: Disclosure) {
        self.init(enterpriseID: disclosure.enterpriseID, year: disclosure.year, pollutant: disclosure.pollutant, medium: disclosure.medium)
    }
}

/// Values numbered in the order first met, for a table written once.
private struct Interned<Value: Hashable> {
    static var none: UInt32 { .max }
    private(set) var values: [Value]
    private var numbers: [Value: UInt32]

    /// Numbered from `values` on, in their order.
    init(_ values: [Value] = []) {
        self.values = values
        numbers = Dictionary(values.enumerated().map { ($1, UInt32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func number(of value: Value?) -> UInt32 {
        guard let value else { return Self.none }
        if let number = numbers[value] { return number }
        let number = UInt32(values.count)
        values.append(value)
        numbers[value] = number
        return number
    }

    /// The same, looking first at the values `field` had in the rows just before: an
    /// enterprise's id, unit and source recur row after row, its media and metals alternate,
    /// a few destinations are shared by every row, and comparing is cheaper than hashing.
    mutating func number(of value: Value?, inField field: inout Field) -> UInt32 {
        guard let value else { return Self.none }
        if let last = field.last, last.value == value { return last.number }
        if let before = field.before, before.value == value {
            (field.last, field.before) = (before, field.last)
            return before.number
        }
        let number = number(of: value)
        (field.last, field.before) = ((value, number), field.last)
        return number
    }

    /// The last two values of one field of the rows, with their numbers.
    struct Field {
        var last, before: (value: Value, number: UInt32)?
    }
}

private extension ByteBuffer {
    mutating func writeKey(_ key: DisclosuresDataset.Key) {
        writeText(key.enterpriseID)
        writeInteger(Int32(clamping: key.year))
        writeText(key.pollutant)
        writeText(key.medium)
    }

    /// The value's bytes as they are in memory (the reader is the same program), zeros for
    /// none: every record the same size.
    mutating func writeDecimal(_ value: Decimal?) {
        writeInteger(UInt8(value == nil ? 0 : 1))
        withUnsafeBytes(of: value ?? Decimal()) { _ = writeBytes($0) }
    }
}

private extension StoredFieldReader {
    mutating func readKey() -> DisclosuresDataset.Key? {
        guard let enterpriseID = readText() ?? nil, let year = readInteger(as: Int32.self),
              let pollutant = readText() ?? nil, let medium = readText() ?? nil else { return nil }
        return DisclosuresDataset.Key(enterpriseID: enterpriseID, year: Int(year), pollutant: pollutant, medium: medium)
    }

    /// A presence byte, then the value's bytes as `writeDecimal` wrote them.
    mutating func readDecimal() -> Decimal?? {
        guard let present = readInteger(as: UInt8.self), present <= 1, let bytes = readBytes(MemoryLayout<Decimal>.size) else { return nil }
        guard present == 1 else { return .some(nil) }
        return .some(bytes.loadUnaligned(as: Decimal.self))
    }
}

/// What some rows are of: their enterprises, pollutants and years. Those of the rows a rebuild
/// decoded anew and of those they replaced are all the rows' digests need made again
/// (`DisclosuresText.digests`), which it does only while the rows' order is kept: while every
/// row keeps its key and its embargo, no run of an enterprise's rows joins or splits.
struct RowChanges: Sendable {
    var enterprises: Set<String> = []
    var pollutants: Set<String> = []
    var years: Set<Int> = []

    mutating func add(_ keys: [DisclosuresDataset.Key]) {
        for key in keys {
            enterprises.insert(key.enterpriseID)
            pollutants.insert(key.pollutant)
            years.insert(key.year)
        }
    }
}
