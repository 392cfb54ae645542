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
        var hashing = Hashing(text: text)
        var row = 0, withheld = 0
        // An enterprise's rows usually stand together in the file: hashed a run at a time.
        var run: (id: String, published: Bool, start: Int, end: Int)?
        var pollutant: (code: String, slot: Int)?
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
                hashing.add(start..<end, toPollutant: pollutant!.slot)
                if disclosure.year == latestYear { hashing.addToLatestYear(start..<end) }
            }
        }
        if let current = run, current.published { hashing.add(current.start..<current.end, toEnterprise: current.id) }
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

    /// An enterprise's rows, mostly one run of them, are hashed run by run when all are known;
    /// a pollutant's and a year's, one row here and one there, are gathered a quarter megabyte
    /// at a time, where a digest update per row of ninety bytes cost more than the hashing.
    /// 0xFF, which UTF-8 never has, closes each run of rows.
    private struct Hashing {
        struct Gathered {
            let digest = ContentHasher()
            var pending: [UInt8] = []

            mutating func add(_ bytes: ArraySlice<UInt8>) {
                pending.append(contentsOf: bytes)
                pending.append(0xFF)
                if pending.count >= 1 << 18 { flush() }
            }

            mutating func flush() {
                digest.update(pending)
                pending.removeAll(keepingCapacity: true)
            }

            mutating func finish() -> String {
                flush()
                return digest.digest.hex
            }
        }

        let text: [UInt8]
        var enterprises: [String: [Range<Int>]] = [:]
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
            enterprises[id, default: []].append(bytes)
        }

        mutating func add(_ bytes: Range<Int>, toPollutant slot: Int) {
            pollutants[slot].add(text[bytes])
        }

        mutating func addToLatestYear(_ bytes: Range<Int>) {
            latestYear.add(text[bytes])
        }

        mutating func finish() -> Digests {
            let hasher = ContentHasher()
            let enterprises = text.withUnsafeBytes { text in
                self.enterprises.mapValues { runs in
                    hasher.reset()
                    for run in runs {
                        hasher.update(UnsafeRawBufferPointer(rebasing: text[run]))
                        hasher.update([0xFF])
                    }
                    return hasher.digest.hex
                }
            }
            var pollutantDigests: [String: String] = [:]
            for slot in pollutants.indices { pollutantDigests[pollutantCodes[slot]] = pollutants[slot].finish() }
            return Digests(enterprises: enterprises, pollutants: pollutantDigests, latestYear: latestYear.finish())
        }
    }
}
