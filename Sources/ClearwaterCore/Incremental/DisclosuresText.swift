import NIOCore

/// The text of `disclosures.csv` as a build read it, and where each disclosure's row lies in it.
///
/// A disclosure is what its row's bytes say, read under the header and the site's settings, so
/// those bytes identify it: the record digests hash them a few megabytes at a time, where
/// writing out every field of half a million disclosures (texts, decimals, destinations) cost
/// a third of a second of a rebuild's CPU (`RouteInputs.RecordDigests`).
struct DisclosuresText: Sendable {
    let text: TextBytes
    /// Where the first row starts; the header before it says what each cell means.
    let body: Int
    /// Its digests a block at a time, which the rows' store keeps for the next build, and whose
    /// digest is the file's (`TextBlocks.digest`).
    let blocks: TextBlocks
    let decoded: DecodedDisclosures

    /// Digests of the disclosures' rows: per enterprise, per pollutant, and of the site's
    /// latest year, with the header that says what their cells mean. An embargoed row, or a row
    /// of an enterprise in `withheldIDs`, publishes nothing and counts for none. Needs no site
    /// model, so it runs while the model is made.
    ///
    /// Made again only for what changed (`updated`) when the rows' store kept the previous
    /// build's; else the enterprises' digests on one core and the metals' and the year's on the
    /// other: with the rows in no order each row is a run of its own, and numbering half a
    /// million runs kept one core busy for a fifth of a second while the other had nothing to
    /// do. Each pass reads every row in order: split by rows instead, a row added in the first
    /// half would move the second half's first rows and so change every pollutant's digest.
    ///
    /// - Parameters:
    ///   - withheldDigest: `KeptOrdering.digest(ofWithheld:)` of `withheldIDs`, which the kept
    ///     digests were made under.
    ///   - ordering: the site's order of these rows, kept with them, when it fits them.
    func digests(withholding withheldIDs: Set<String>, withheldDigest: String, latestYear: Int?, ordering: Site.Ordering?) -> Digests {
        let header = blocks.header.hex
        if withheldIDs.isEmpty, let kept = decoded.digests, kept.withheld == withheldDigest, kept.latestYear == latestYear, kept.digests.header == header,
           let changes = decoded.changes, let ordering {
            return updated(kept.digests, changes: changes, latestYear: latestYear, ordering: ordering)
        }
        let published: @Sendable (String) -> Bool = { withheldIDs.isEmpty || !withheldIDs.contains($0) }
        var (digests, gathered) = Parallel.both({ enterpriseDigests(publishedBy: published) }, { gatheredDigests(publishedBy: published, latestYear: latestYear) })
        (digests.pollutants, digests.latestYear) = gathered
        digests.header = header
        return digests
    }

    /// The previous build's digests, made again for what `changes` names: each changed
    /// enterprise's from its own rows, found by the site's order, where a pass over every row
    /// hashed all ten thousand of a province's at every rebuild; the metals' and the latest
    /// year's by their pass, only when a row of theirs may have changed (a changed row's
    /// neighbours in the same 16 KB block are taken for changed too, and they are of every
    /// metal). Each digest is what the passes make of the same rows (the tests compare them).
    private func updated(_ kept: Digests, changes: RowChanges, latestYear: Int?, ordering: Site.Ordering) -> Digests {
        var digests = kept
        if !changes.pollutants.isEmpty || latestYear.map(changes.years.contains) == true {
            (digests.pollutants, digests.latestYear) = gatheredDigests(publishedBy: { _ in true }, latestYear: latestYear)
        }
        let rows = RowPlaces(decoded, body: body), text = self.text.bytes
        // An enterprise gone from the rows has no digest, as the passes make none for it.
        for id in changes.enterprises { digests.enterprises[id] = nil }
        let enterprise = ContentHasher()
        for run in ordering.runs where changes.enterprises.contains(run.enterpriseID) {
            // Its rows in the file's order, a run of them at a time: rows one after the other.
            let places = ordering.order[run.range].map(rows.row).sorted()
            var start = places.startIndex
            while start < places.endIndex {
                var end = start + 1
                while end < places.endIndex, places[end] == places[end - 1] + 1 { end += 1 }
                let bytes = UnsafeBufferPointer(rebasing: text[rows.start(ofRow: places[start])..<rows.end(ofRow: places[end - 1])])
                withUnsafeBytes(of: ContentDigest(of: UnsafeRawBufferPointer(bytes))) { enterprise.update($0) }
                start = end
            }
            digests.enterprises[run.enterpriseID] = enterprise.digest
            enterprise.reset()
        }
        return digests
    }

    /// Where each disclosure's row is among the rows, and its bytes in the text: rows and
    /// disclosures are numbered alike unless some rows are embargoed.
    private struct RowPlaces {
        let ends: [DataTable.Position]
        /// Where the first row starts.
        let body: Int
        /// Each disclosure's row, where embargoed rows make them differ; else empty.
        let rowOfDisclosure: [Int]

        init(_ decoded: DecodedDisclosures, body: Int) {
            (ends, self.body) = (decoded.ends, body)
            var rowOfDisclosure: [Int] = []
            if !decoded.withheld.isEmpty {
                rowOfDisclosure.reserveCapacity(decoded.disclosures.count)
                var withheld = decoded.withheld[...]
                for row in 0..<decoded.rowCount {
                    if withheld.first?.row == row { withheld.removeFirst() } else { rowOfDisclosure.append(row) }
                }
            }
            self.rowOfDisclosure = rowOfDisclosure
        }

        func row(of disclosure: Int) -> Int {
            rowOfDisclosure.isEmpty ? disclosure : rowOfDisclosure[disclosure]
        }

        func start(ofRow row: Int) -> Int { row == 0 ? body : ends[row - 1].offset }
        func end(ofRow row: Int) -> Int { ends[row].offset }
    }

    /// Each enterprise's digest: that of the digests of its runs of rows, in file order. An
    /// enterprise's rows usually stand together in the file, and are hashed a run at a time.
    private func enterpriseDigests(publishedBy published: (String) -> Bool) -> Digests {
        var runs = EnterpriseRuns()
        var run: (id: String, published: Bool, start: Int, end: Int)?
        let text = self.text.bytes
        forEachRow { disclosure, start, end in
            if let current = run, current.id == disclosure.pointee.enterpriseID, current.end == start {
                run?.end = end
                return
            }
            if let current = run, current.published { runs.add(text[current.start..<current.end], toEnterprise: current.id) }
            run = (disclosure.pointee.enterpriseID, published(disclosure.pointee.enterpriseID), start, end)
        }
        if let current = run, current.published { runs.add(text[current.start..<current.end], toEnterprise: current.id) }
        return Digests(enterprises: runs.finish())
    }

    /// Each pollutant's digest and the latest year's, of their published rows in file order.
    private func gatheredDigests(publishedBy published: (String) -> Bool, latestYear: Int?) -> (pollutants: [String: String], latestYear: String) {
        var codes: [String] = [], pollutants: [Gathered] = [], year = Gathered()
        // Whether the last row's enterprise publishes, and which slot its pollutant has: asked
        // again only when they change from one row to the next.
        var enterprise: (id: String, published: Bool)?
        var pollutant: (code: String, slot: Int)?
        let text = self.text.bytes
        forEachRow { disclosure, start, end in
            if enterprise?.id != disclosure.pointee.enterpriseID {
                enterprise = (disclosure.pointee.enterpriseID, published(disclosure.pointee.enterpriseID))
            }
            guard enterprise?.published == true else { return }
            if pollutant?.code != disclosure.pointee.pollutant {
                let slot = codes.firstIndex(of: disclosure.pointee.pollutant) ?? {
                    codes.append(disclosure.pointee.pollutant)
                    pollutants.append(Gathered())
                    return codes.count - 1
                }()
                pollutant = (disclosure.pointee.pollutant, slot)
            }
            let bytes = UnsafeBufferPointer(rebasing: text[start..<end])
            pollutants[pollutant!.slot].add(bytes)
            if disclosure.pointee.year == latestYear { year.add(bytes) }
        }
        var digests: [String: String] = [:]
        for slot in pollutants.indices { digests[codes[slot]] = pollutants[slot].finish() }
        return (digests, year.finish())
    }

    /// Calls `body` with each disclosure, where it stands, and where its row starts and ends in
    /// the text; embargoed rows have none and are passed over.
    private func forEachRow(_ body: (UnsafePointer<Disclosure>, Int, Int) -> Void) {
        var row = 0, withheld = 0
        decoded.disclosures.withUnsafeBufferPointer { all in
            guard let first = all.baseAddress else { return }
            for index in all.indices {
                while withheld < decoded.withheld.count, decoded.withheld[withheld].row == row {
                    row += 1
                    withheld += 1
                }
                body(first + index, row == 0 ? self.body : decoded.ends[row - 1].offset, decoded.ends[row].offset)
                row += 1
            }
        }
    }

    struct Digests: Sendable, Equatable {
        var enterprises: [String: ContentDigest] = [:]
        var pollutants: [String: String] = [:]
        var latestYear = ""
        /// Of the header, which says what every row's bytes mean; empty without a file.
        var header = ""
    }

    /// The rows' digests as a build made them, with what they were made under: kept with the
    /// rows (`DecodedDisclosures.Store`), for the next build to make again only what changed.
    struct Kept: Sendable, Equatable {
        /// `KeptOrdering.digest(ofWithheld:)` of the enterprises withheld then.
        let withheld: String
        let latestYear: Int?
        let digests: Digests

        init(withheld: String, latestYear: Int?, digests: Digests) {
            (self.withheld, self.latestYear, self.digests) = (withheld, latestYear, digests)
        }

        func write(to buffer: inout ByteBuffer) {
            buffer.writeText(withheld)
            buffer.writeText(latestYear.map(String.init))
            buffer.writeText(digests.header)
            buffer.writeText(digests.latestYear)
            buffer.writeTable(digests.enterprises) { $0.writeDigest($1) }
            buffer.writeTable(digests.pollutants) { $0.writeText($1) }
        }

        /// `nil` when the fields are damaged.
        init?(reading fields: inout StoredFieldReader) {
            guard let withheld = fields.readText() ?? nil, let year = fields.readText(), let header = fields.readText() ?? nil,
                  let latest = fields.readText() ?? nil else { return nil }
            let enterprises: [String: ContentDigest]? = fields.readTable { $0.readDigest() }
            let pollutants: [String: String]? = fields.readTable { $0.readText() ?? nil }
            guard let enterprises, let pollutants, fields.left == 0 else { return nil }
            let latestYear = year.flatMap { Int($0) }
            guard (year == nil) == (latestYear == nil) else { return nil }
            self.init(withheld: withheld, latestYear: latestYear,
                      digests: Digests(enterprises: enterprises, pollutants: pollutants, latestYear: latest, header: header))
        }
    }

    /// A metal's or a year's rows, one here and one there, gathered a quarter megabyte at a time:
    /// a digest update per row of ninety bytes cost more than the hashing. 0xFF, which UTF-8
    /// never has, closes each row gathered.
    private struct Gathered {
        let digest = ContentHasher()
        var pending: [UInt8] = []

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            pending.append(contentsOf: bytes)
            pending.append(0xFF)
            if pending.count >= 1 << 18 { flush() }
        }

        mutating func flush() {
            digest.update(pending)
            pending.removeAll(keepingCapacity: true)
        }

        /// The digest of everything added.
        mutating func finish() -> String {
            flush()
            return digest.digest.hex
        }
    }

    /// Each run of an enterprise's rows is hashed as the pass reaches its end, while its bytes
    /// are still in the cache, and an enterprise's digest is that of its runs' digests:
    /// gathering the runs' bytes by enterprise at the end read rows in no order from all over
    /// the text, a cache miss per row.
    private struct EnterpriseRuns {
        /// The digest of each run of an enterprise's rows, with the enterprise's number: one
        /// list, put in order by enterprise at the end (`Groups`), as rows in no order have as
        /// many runs.
        var enterprises = GroupNumbers<String>()
        var runs: [(enterprise: Int, digest: ContentDigest)] = []

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence, toEnterprise id: String) {
            runs.append((enterprises.number(of: id), ContentDigest(of: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes)))))
        }

        func finish() -> [String: ContentDigest] {
            let ids = enterprises.keys
            let groups = Groups(runs.map(\.enterprise), count: ids.count)
            var digests: [String: ContentDigest] = [:]
            digests.reserveCapacity(ids.count)
            let enterprise = ContentHasher()
            for (number, id) in ids.enumerated() {
                for run in groups[number] {
                    withUnsafeBytes(of: runs[run].digest) { enterprise.update($0) }
                }
                digests[id] = enterprise.digest
                enterprise.reset()
            }
            return digests
        }
    }
}
