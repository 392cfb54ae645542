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
    /// The enterprises' digests on one core and the metals' and the year's on the other: with
    /// the rows in no order each row is a run of its own, and numbering half a million runs kept
    /// one core busy for a fifth of a second while the other had nothing to do. Each pass reads
    /// every row in order: split by rows instead, a row added in the first half would move the
    /// second half's first rows and so change every pollutant's digest.
    func digests(withholding withheldIDs: Set<String>, latestYear: Int?) -> Digests {
        let published: @Sendable (String) -> Bool = { withheldIDs.isEmpty || !withheldIDs.contains($0) }
        var (digests, gathered) = Parallel.both({ enterpriseDigests(publishedBy: published) }, { gatheredDigests(publishedBy: published, latestYear: latestYear) })
        (digests.pollutants, digests.latestYear) = gathered
        digests.header = blocks.header.hex
        return digests
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

    struct Digests: Sendable {
        var enterprises: [String: String] = [:]
        var pollutants: [String: String] = [:]
        var latestYear = ""
        /// Of the header, which says what every row's bytes mean; empty without a file.
        var header = ""
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

        func finish() -> [String: String] {
            let ids = enterprises.keys
            let groups = Groups(runs.map(\.enterprise), count: ids.count)
            var digests: [String: String] = [:]
            digests.reserveCapacity(ids.count)
            let enterprise = ContentHasher()
            for (number, id) in ids.enumerated() {
                for run in groups[number] {
                    withUnsafeBytes(of: runs[run].digest) { enterprise.update($0) }
                }
                digests[id] = enterprise.digest.hex
                enterprise.reset()
            }
            return digests
        }
    }
}
