/// The text of `disclosures.csv` as a build read it, and where each disclosure's row lies in it.
///
/// A disclosure is what its row's bytes say, read under the header and the site's settings, so
/// those bytes identify it: the record digests hash them a few megabytes at a time, where
/// writing out every field of half a million disclosures (texts, decimals, destinations) cost
/// a third of a second of a rebuild's CPU (`RouteInputs.RecordDigests`).
struct DisclosuresText: Sendable {
    let text: [UInt8]
    /// Where the first row starts; the header before it says what each cell means.
    let body: Int
    let decoded: DecodedDisclosures

    /// Digests of the disclosures' rows: per enterprise, per pollutant, and of the site's
    /// latest year, with the header that says what their cells mean. An embargoed row, or a row
    /// of an enterprise in `withheldIDs`, publishes nothing and counts for none. Needs no site
    /// model, so it runs while the model is made. One pass, on one core: split in two, a row
    /// added in the first half would move the second half's first rows and so change every
    /// pollutant's digest.
    func digests(withholding withheldIDs: Set<String>, latestYear: Int?) -> Digests {
        var hashing = Hashing()
        var row = 0, withheld = 0
        // An enterprise's rows usually stand together in the file: hashed a run at a time.
        var run: (id: String, published: Bool, start: Int, end: Int)?
        var pollutant: (code: String, slot: Int)?
        text.withUnsafeBufferPointer { text in
            decoded.disclosures.withUnsafeBufferPointer { all in
                for disclosure in all {
                    while withheld < decoded.withheld.count, decoded.withheld[withheld].row == row {
                        row += 1
                        withheld += 1
                    }
                    let start = row == 0 ? body : decoded.ends[row - 1].offset, end = decoded.ends[row].offset
                    row += 1
                    if let current = run, current.id == disclosure.enterpriseID, current.end == start {
                        run?.end = end
                    } else {
                        if let current = run, current.published { hashing.add(text[current.start..<current.end], toEnterprise: current.id) }
                        run = (disclosure.enterpriseID, withheldIDs.isEmpty || !withheldIDs.contains(disclosure.enterpriseID), start, end)
                    }
                    guard run?.published == true else { continue }
                    if pollutant?.code != disclosure.pollutant { pollutant = (disclosure.pollutant, hashing.slot(ofPollutant: disclosure.pollutant)) }
                    let bytes = UnsafeBufferPointer(rebasing: text[start..<end])
                    hashing.pollutants[pollutant!.slot].add(bytes)
                    if disclosure.year == latestYear { hashing.latestYear.add(bytes) }
                }
            }
            if let current = run, current.published { hashing.add(text[current.start..<current.end], toEnterprise: current.id) }
        }
        var digests = hashing.finish()
        digests.header = ContentDigest(of: text[..<body]).hex
        return digests
    }

    struct Digests: Sendable {
        var enterprises: [String: String] = [:]
        var pollutants: [String: String] = [:]
        var latestYear = ""
        /// Of the header, which says what every row's bytes mean; empty without a file.
        var header = ""
    }

    /// Each run of an enterprise's rows is hashed as the pass reaches its end, while its bytes
    /// are still in the cache, and an enterprise's digest is that of its runs' digests:
    /// gathering the runs' bytes by enterprise at the end read rows in no order from all over
    /// the text, a cache miss per row. A pollutant's and a year's rows, one here and one there,
    /// are gathered a quarter megabyte at a time, where a digest update per row of ninety
    /// bytes cost more than the hashing. 0xFF, which UTF-8 never has, closes each row gathered.
    private struct Hashing {
        struct Gathered {
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

        /// The digest of each run of an enterprise's rows, with the enterprise's number: one
        /// list, put in order by enterprise at the end (`Groups`), as rows in no order have as
        /// many runs.
        var enterprises = GroupNumbers<String>()
        var runs: [(enterprise: Int, digest: ContentDigest)] = []
        var pollutantCodes: [String] = []
        var pollutants: [Gathered] = []
        var latestYear = Gathered()

        mutating func slot(ofPollutant code: String) -> Int {
            if let slot = pollutantCodes.firstIndex(of: code) { return slot }
            pollutantCodes.append(code)
            pollutants.append(Gathered())
            return pollutants.count - 1
        }

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence, toEnterprise id: String) {
            runs.append((enterprises.number(of: id), ContentDigest(of: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes)))))
        }

        mutating func finish() -> Digests {
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
            var pollutantDigests: [String: String] = [:]
            for slot in pollutants.indices { pollutantDigests[pollutantCodes[slot]] = pollutants[slot].finish() }
            return Digests(enterprises: digests, pollutants: pollutantDigests, latestYear: latestYear.finish())
        }
    }
}
