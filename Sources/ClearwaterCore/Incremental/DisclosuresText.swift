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
                        if let current = run, current.published { hashing.add(current.start..<current.end, toEnterprise: current.id) }
                        run = (disclosure.enterpriseID, !withheldIDs.contains(disclosure.enterpriseID), start, end)
                    }
                    guard run?.published == true else { continue }
                    if pollutant?.code != disclosure.pollutant { pollutant = (disclosure.pollutant, hashing.slot(ofPollutant: disclosure.pollutant)) }
                    let bytes = UnsafeBufferPointer(rebasing: text[start..<end])
                    hashing.pollutants[pollutant!.slot].add(bytes)
                    if disclosure.year == latestYear { hashing.latestYear.add(bytes) }
                }
            }
            if let current = run, current.published { hashing.add(current.start..<current.end, toEnterprise: current.id) }
        }
        var digests = hashing.finish(text: text)
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

    /// An enterprise's rows, mostly one run of them, are hashed when all are known; a
    /// pollutant's and a year's, one row here and one there, are gathered a quarter megabyte
    /// at a time, where a digest update per row of ninety bytes cost more than the hashing.
    /// 0xFF, which UTF-8 never has, closes each run of rows.
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

            /// The digest of everything added, after which it starts over: one serves every enterprise in turn.
            mutating func finish() -> String {
                flush()
                defer { digest.reset() }
                return digest.digest.hex
            }
        }

        /// Each run of an enterprise's rows, with the enterprise's number: one list, put in
        /// order by enterprise at the end (`Groups`), as rows in no order have as many runs.
        var enterprises = GroupNumbers<String>()
        var runs: [(enterprise: Int, bytes: Range<Int>)] = []
        var pollutantCodes: [String] = []
        var pollutants: [Gathered] = []
        var latestYear = Gathered()

        mutating func slot(ofPollutant code: String) -> Int {
            if let slot = pollutantCodes.firstIndex(of: code) { return slot }
            pollutantCodes.append(code)
            pollutants.append(Gathered())
            return pollutants.count - 1
        }

        mutating func add(_ bytes: Range<Int>, toEnterprise id: String) {
            runs.append((enterprises.number(of: id), bytes))
        }

        mutating func finish(text: [UInt8]) -> Digests {
            let ids = enterprises.keys
            let groups = Groups(runs.map(\.enterprise), count: ids.count)
            var digests: [String: String] = [:]
            digests.reserveCapacity(ids.count)
            var enterprise = Gathered()
            text.withUnsafeBufferPointer { text in
                for (number, id) in ids.enumerated() {
                    for run in groups[number] { enterprise.add(UnsafeBufferPointer(rebasing: text[runs[run].bytes])) }
                    digests[id] = enterprise.finish()
                }
            }
            var pollutantDigests: [String: String] = [:]
            for slot in pollutants.indices { pollutantDigests[pollutantCodes[slot]] = pollutants[slot].finish() }
            return Digests(enterprises: digests, pollutants: pollutantDigests, latestYear: latestYear.finish())
        }
    }
}
