@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// A rebuild decodes only the disclosure rows that changed and keeps the others from the
/// previous build (`DecodedDisclosures`); whatever the edit, the result must be what decoding
/// every row gives.
@Suite struct DecodedDisclosuresTests {
    /// The rows' enterprises, and one more that an edit may name instead.
    static let rowIDs = ["alpha", "beta", "gamma", "delta"]
    static let ids = Set(rowIDs + ["zeta"])
    static let today = Day("2021-01-15")!
    static let dataset = DisclosuresDataset(vocabulary: FuzzTests.vocabulary, languages: ["zh", "en"], enterpriseIDs: ids)
    static let header = "enterprise_id,year,pollutant,medium,amount,unit,method,destination_zh,destination_en,limit,basis,source,embargo"

    /// A row with a key of its own for each `number` below 160; some embargoed past `today`,
    /// some with a destination quoted over two lines.
    static func row(_ number: Int, amount: String? = nil) -> String {
        let id = rowIDs[number % 4], year = 2016 + number / 4 % 10, pollutant = ["Pb", "Cd"][number / 40 % 2], medium = ["air", "water"][number / 80 % 2]
        let destination = number % 7 == 0 ? "\"湘江,\n支流\",\"Xiang \"\"River\"\"\"" : "大气,Air"
        let embargo = number % 11 == 0 ? "2030-01-01" : ""
        return "\(id),\(year),\(pollutant),\(medium),\(amount ?? "\(number).5"),kg,continuous,\(destination),\(number),measured,report \(number % 3),\(embargo)"
    }

    /// `keptOrdering`: whether the rows came with the site's order from the store, which must
    /// then be the order of the rows decoded; the store is written with that order.
    ///
    /// `rowDigests`: the rows' digests (`DisclosuresText.digests`), made again for what changed
    /// where the store kept them with the rows' order (`updatedDigests`), which are kept with the rows.
    static func decode(_ text: String, reusing store: DecodedDisclosures.Store?)
        -> (digest: String, diagnostics: [Diagnostic], decoded: DecodedDisclosures?, reused: Bool, keptOrdering: Bool,
            rowDigests: DisclosuresText.Digests, updatedDigests: Bool) {
        var diagnostics = Diagnostics()
        let table = DataTable(utf8: Array(text.utf8), path: "d.csv", columns: DisclosuresDataset.columns, today: today, diagnostics: &diagnostics)
        let previous = store?.read(comparingWith: table.text, firstRow: table.body.offset)
        // The blocks the previous text shares are taken from its digests, the rest hashed: the
        // same digests as hashing every block of this text.
        let blockSize = store?.blockSize ?? TextBlocks.defaultSize
        let blocks = TextBlocks(text: table.text, body: table.body.offset, blockSize: blockSize,
                                sharing: previous.map { TextBlocks.Shared(blocks: $0.blocks, prefix: $0.commonPrefix, suffix: $0.commonSuffix) })
        let hashed = TextBlocks(text: table.text, body: table.body.offset, blockSize: blockSize)
        #expect(blocks.header == hashed.header && blocks.forward == hashed.forward && blocks.backward == hashed.backward && blocks.digest == hashed.digest,
                "blocks taken from the previous text's digests differ from this text's")
        let changes = previous.flatMap { dataset.decodeChanges(table, since: $0) }
        let (all, reusable) = dataset.decode(table, reusing: previous, diagnostics: &diagnostics)
        let decoded = reusable ? all : nil
        var hash = StableHash()
        hash.add(all.disclosures)
        let ordering = KeptOrdering(withheld: "none", ordering: Site.Ordering(all.disclosures, vocabulary: FuzzTests.vocabulary))
        if let kept = all.ordering { #expect(kept == ordering, "a kept order that is not the rows' order") }
        let latestYear = all.disclosures.lazy.map(\.year).max()
        let keptOrdering = all.ordering.flatMap { $0.ordering.fits(all.disclosures) ? $0.ordering : nil }
        let rows = DisclosuresText(text: table.text, body: table.body.offset, blocks: blocks, decoded: all)
        let rowDigests = rows.digests(withholding: [], withheldDigest: "none", latestYear: latestYear, ordering: keptOrdering)
        let updatedDigests = all.digests?.latestYear == latestYear && all.changes != nil && keptOrdering != nil
        if let store, let decoded {
            try? store.write(DisclosuresText(text: table.text, body: table.body.offset, blocks: blocks, decoded: decoded), ordering: ordering,
                             digests: DisclosuresText.Kept(withheld: "none", latestYear: latestYear, digests: rowDigests))
            // Read back as written, whether its rows were encoded anew or copied from the file before.
            if table.bytes.count > table.body.offset {
                let back = store.read(comparingWith: table.text, firstRow: table.body.offset)?.decoded
                var written = StableHash(), read = StableHash()
                written.add(decoded.disclosures)
                read.add(back?.disclosures ?? [])
                #expect(read.hex == written.hex && back?.ends == decoded.ends, "stored rows read back differently")
            }
        }
        return (hash.hex, diagnostics.all, decoded, changes != nil, all.ordering != nil, rowDigests, updatedDigests)
    }

    /// Three hundred seeded edits in a row — rows changed (by their first byte too), added, removed, repeated, broken,
    /// blank lines, stray quotes, cells past the header, other line ends, a new header — each decoded with the rows
    /// kept from the one before and from nothing: the same disclosures, diagnostics, row ends
    /// and embargoed rows. Most edits must reuse rows, or this would pass on a decoder that
    /// never does. Where the rows kept their keys, the site's order of them is kept too, and
    /// must be theirs (`decode`): most edits of an amount keep it, and no other edit may. The
    /// rows' digests are those of all the rows, and are mostly made again for what changed.
    @Test func decodingOnlyTheChangedRowsGivesWhatDecodingEveryRowGives() throws {
        try withTemporaryFolder("clearwater-decoded") { folder in
            // Blocks of a row or less, so that an edit leaves whole blocks unchanged before and after it.
            let store = try #require(DecodedDisclosures.Store(location: folder.appendingPathComponent("rows"), inputs: "test", blockSize: 64))
            var random = SeededGenerator(seed: 7)
            // Each line with the number of the row it was made from, if it was.
            var lines = (0..<60).map { (number: Optional($0), text: Self.row($0)) }
            var lineEnd = "\n"
            var header = Self.header
            var rows: [String] { lines.map(\.text) }
            _ = Self.decode(([header] + rows).joined(separator: lineEnd) + lineEnd, reusing: store)
            var reused = 0, keptOrdering = 0, updatedDigests = 0
            for step in 0..<300 {
                // The first and last rows, where a file's shared start or end is empty, as often as the others.
                let at = [Int.random(in: 0...min(2, lines.count), using: &random), Int.random(in: max(0, lines.count - 2)...lines.count, using: &random),
                          Int.random(in: 0...lines.count, using: &random)].randomElement(using: &random)!
                let some = min(at, lines.count - 1)
                let amount = "\(Int.random(in: 0..<1000, using: &random)).25"
                switch Int.random(in: 0..<14, using: &random) {
                case 0, 1, 2: if let number = lines[some].number { lines[some].text = Self.row(number, amount: amount) }
                case 3:
                    let number = Int.random(in: 60..<160, using: &random)
                    lines.insert((number, Self.row(number)), at: at)
                case 4: if lines.count > 1 { lines.remove(at: some) }
                case 5: lines.insert(lines.randomElement(using: &random)!, at: at)
                case 6: lines[some].text = lines[some].text.replacingOccurrences(of: ".5,kg", with: ".5,k,g")
                case 7: lines.insert((nil, ""), at: at)
                case 8: lines[some].text = lines[some].text.replacingOccurrences(of: "kg", with: "k\"g")
                case 9: lineEnd = ["\n", "\r\n", "\r"].randomElement(using: &random)!
                case 11: lines[some].text += ",extra"
                case 12: if lines[some].text.hasPrefix("beta,") { lines[some].text = "z" + lines[some].text.dropFirst() }
                case 10: header = Bool.random(using: &random) ? Self.header : Self.header.replacingOccurrences(of: "limit", with: "limits")
                default: if let number = lines[some].number { lines[some].text = Self.row(number) }
                }
                let text = ([header] + rows).joined(separator: lineEnd) + (Bool.random(using: &random) ? lineEnd : "")
                let full = Self.decode(text, reusing: nil)
                let incremental = Self.decode(text, reusing: store)
                #expect(incremental.digest == full.digest, "step \(step)")
                #expect(incremental.diagnostics == full.diagnostics, "step \(step)")
                #expect(incremental.decoded?.ends == full.decoded?.ends, "step \(step)")
                #expect(incremental.decoded?.withheld.map(\.row) == full.decoded?.withheld.map(\.row), "step \(step)")
                #expect(incremental.decoded?.withheld.map(\.key) == full.decoded?.withheld.map(\.key), "step \(step)")
                #expect(incremental.rowDigests == full.rowDigests, "step \(step)")
                if incremental.updatedDigests { updatedDigests += 1 }
                if incremental.reused { reused += 1 }
                if incremental.keptOrdering { keptOrdering += 1 }
                // A file with problems is not kept; start over from a clean one.
                if full.decoded == nil {
                    lines = (0..<60).map { (number: Optional($0), text: Self.row($0)) }
                    header = Self.header
                    _ = Self.decode(([header] + rows).joined(separator: lineEnd) + lineEnd, reusing: store)
                }
            }
            #expect(reused > 100, "only \(reused) of 300 edits reused rows")
            #expect(keptOrdering > 30, "only \(keptOrdering) of 300 edits kept the rows' order")
            #expect(updatedDigests > 30, "only \(updatedDigests) of 300 edits made the rows' digests again for what changed")
        }
    }

    /// A file is decoded in two halves, one per core, and joined: every row in file order,
    /// embargoed rows counted in their places, and a key the second half repeats from the
    /// first reported at the repeat, with the line it was first disclosed on, and left out.
    @Test func theTwoHalvesJoinInFileOrder() throws {
        for repeatAt in [nil, 30] {
            var lines = (0..<40).map { Self.row($0) }
            if let repeatAt { lines.insert(Self.row(1, amount: "9.5"), at: repeatAt) }
            let text = ([Self.header] + lines).joined(separator: "\n") + "\n"
            // Where each line starts, and its line number.
            var starts: [(offset: Int, line: Int)] = [], offset = Self.header.utf8.count + 1, line = 2
            for text in lines {
                starts.append((offset, line))
                offset += text.utf8.count + 1
                line += text.filter { $0 == "\n" }.count + 1
            }
            var diagnostics = Diagnostics()
            let table = DataTable(utf8: Array(text.utf8), path: "d.csv", columns: DisclosuresDataset.columns, today: Self.today, diagnostics: &diagnostics)
            let (decoded, _) = Self.dataset.decode(table, reusing: nil, diagnostics: &diagnostics)

            let kept = (0..<lines.count).filter { $0 != repeatAt }
            #expect(decoded.ends.map(\.offset) == kept.map { $0 + 1 < starts.count ? starts[$0 + 1].offset : text.utf8.count })
            #expect(decoded.withheld.map(\.row) == [0, 11, 22, 33])
            #expect(decoded.disclosures.map { "\($0.amount.value)" } == (0..<40).filter { $0 % 11 != 0 }.map { "\($0).5" })
            let expected = repeatAt.map { [Diagnostic.error("beta already disclosed Pb to air for 2016 (line \(starts[1].line)); one row per enterprise, year, pollutant and medium",
                                                             at: SourceLocation(path: "d.csv", line: starts[$0].line, column: 1))] } ?? []
            #expect(diagnostics.all == expected)
        }
    }

    /// The kept file is read back whole or not at all: every truncation, a byte more, and a
    /// byte changed anywhere gives no rows — never a crash, rows half read, or a damaged figure.
    @Test func aDamagedStoreIsNotRead() throws {
        try withTemporaryFolder("clearwater-decoded") { folder in
            let location = folder.appendingPathComponent("rows")
            let store = try #require(DecodedDisclosures.Store(location: location, inputs: "test"))
            let text = ([Self.header] + (0..<20).map { Self.row($0) }).joined(separator: "\n") + "\n"
            // Where the first row starts, after the header's line end.
            let firstRow = Self.header.utf8.count + 1
            let written = Self.decode(text, reusing: store)
            let bytes = try Data(contentsOf: location)
            #expect(Self.decode(text, reusing: store).reused && written.decoded != nil)
            #expect(DecodedDisclosures.Store(location: location, inputs: "other")?.read(comparingWith: TextBytes(copying: text.utf8), firstRow: firstRow) == nil)
            for length in stride(from: 0, to: bytes.count, by: 7) {
                try bytes.prefix(length).write(to: location)
                #expect(store.read(comparingWith: TextBytes(copying: text.utf8), firstRow: firstRow) == nil, "length \(length)")
            }
            var extended = bytes
            extended.append(0)
            try extended.write(to: location)
            #expect(store.read(comparingWith: TextBytes(copying: text.utf8), firstRow: firstRow) == nil)
            try bytes.write(to: location)
            let intact = try #require(store.read(comparingWith: TextBytes(copying: text.utf8), firstRow: firstRow)?.decoded)
            func digest(_ decoded: DecodedDisclosures) -> String {
                var hash = StableHash()
                hash.add(decoded.disclosures)
                return hash.hex
            }
            var unread = 0
            for position in bytes.indices {
                var damaged = bytes
                damaged[position] ^= 0x5A
                try damaged.write(to: location)
                guard let read = store.read(comparingWith: TextBytes(copying: text.utf8), firstRow: firstRow)?.decoded else {
                    unread += 1
                    continue
                }
                #expect(read.ends == intact.ends && digest(read) == digest(intact), "byte \(position) of \(bytes.count)")
            }
            #expect(unread > bytes.count / 2)
        }
    }
}

/// Every field of a disclosure, for the tests to compare what two decodings give.
extension Disclosure: StablyHashable {
    public func add(to hash: inout StableHash) {
        hash.add(enterpriseID); hash.add(year); hash.add(pollutant); hash.add(medium)
        hash.add(amount.value); hash.add(amount.unit.rawValue); hash.add(method); hash.add(destination)
        hash.add(limit); hash.add(basis?.rawValue); hash.add(source)
    }
}
