extension Site {
    /// The order the site lists the rows as loaded in: by enterprise id, then newest year
    /// first, then pollutant and medium in vocabulary order; with each enterprise's run of them,
    /// each pollutant's rows and the latest year.
    ///
    /// It depends on the rows' keys alone, so a rebuild whose rows kept their keys (an amount
    /// corrected, a source added) takes it from the previous build rather than sorting half a
    /// million rows again, a tenth of such a rebuild's loading.
    public struct Ordering: Sendable, Equatable {
        /// Places among the rows as loaded, in the site's order.
        public let order: [Int]
        /// Each enterprise's rows, as a range of `order`, by enterprise id.
        public let runs: [Run]
        /// Each pollutant's rows, as places among the rows as loaded, in the site's order.
        public let pollutantPositions: [String: [Int]]
        public let latestYear: Int?

        public struct Run: Sendable, Equatable {
            public let enterpriseID: String
            public let range: Range<Int>
        }

        init(order: [Int], runs: [Run], pollutantPositions: [String: [Int]], latestYear: Int?) {
            (self.order, self.runs, self.pollutantPositions, self.latestYear) = (order, runs, pollutantPositions, latestYear)
        }

        /// Worked out from the rows.
        ///
        /// Grouped by enterprise first, so the many comparisons within a group are of small
        /// integers and only the enterprise ids are compared as strings; positions are sorted,
        /// and no disclosure is copied: each is read field by field where it stands. An id is
        /// looked up once per run of rows that share it, and the positions are dealt into their
        /// enterprises' places in one pass (`Groups`). A metal's or medium's place is found
        /// among the handful the vocabulary has, rather than by hashing each row's strings, and
        /// with the year makes each row's sort key in the same pass, rows read in the order
        /// they stand: read again later, by enterprise, rows in no order were a cache miss each.
        init(_ disclosures: [Disclosure], vocabulary: Vocabulary) {
            let pollutantKeys = vocabulary.pollutants.keys, mediumKeys = vocabulary.media.keys
            var enterpriseNumbers = GroupNumbers<String>(), enterpriseOfRow: [Int] = []
            enterpriseOfRow.reserveCapacity(disclosures.count)
            // One integer per row, newest year first — years have four digits, a vocabulary far
            // fewer than a million entries: comparing tuples was most of the sort by enterprise.
            // With the place of its metal in the vocabulary, -1 for one outside it.
            var sortKeys: [Int] = [], pollutantPlaces: [Int32] = []
            sortKeys.reserveCapacity(disclosures.count)
            pollutantPlaces.reserveCapacity(disclosures.count)
            var run: (id: String, number: Int)?
            var latestYear: Int?
            // Each field read where the row stands: a row copied out retains its half-dozen texts.
            disclosures.withUnsafeBufferPointer { rows in
                for row in rows.indices {
                    let id = rows[row].enterpriseID, year = rows[row].year
                    if run?.id != id { run = (id, enterpriseNumbers.number(of: id)) }
                    enterpriseOfRow.append(run!.number)
                    latestYear = max(latestYear ?? .min, year)
                    let pollutant = pollutantKeys.firstIndex(of: rows[row].pollutant)
                    let medium = mediumKeys.firstIndex(of: rows[row].medium) ?? 0
                    sortKeys.append((9999 - year) << 40 | (pollutant ?? 0) << 20 | medium)
                    pollutantPlaces.append(Int32(pollutant ?? -1))
                }
            }
            let ids = enterpriseNumbers.keys
            let byID = ids.indices.sorted { ids[$0] < ids[$1] }
            let groups = Groups(enterpriseOfRow, count: ids.count, order: byID)
            var order: [Int] = []
            order.reserveCapacity(disclosures.count)
            var runs: [Run] = []
            // By the vocabulary's place of the metal, and by code for one outside it.
            var positionsByPlace = pollutantKeys.map { _ in [Int]() }
            var positions: [String: [Int]] = [:]
            for number in byID {
                let start = order.count
                let keyed = groups[number].map { (key: sortKeys[$0], position: $0) }
                for (_, position) in keyed.sorted(by: { $0.key < $1.key }) {
                    order.append(position)
                    let place = Int(pollutantPlaces[position])
                    if place >= 0 {
                        positionsByPlace[place].append(position)
                    } else {
                        positions[disclosures[position].pollutant, default: []].append(position)
                    }
                }
                runs.append(Run(enterpriseID: ids[number], range: start..<order.count))
            }
            // Handed over, not appended to an empty list, which copied a province's half a million
            // positions into memory new to the process; `positions` holds only codes outside the
            // vocabulary so far.
            for (place, code) in pollutantKeys.enumerated() where !positionsByPlace[place].isEmpty {
                positions[code] = positionsByPlace[place]
            }
            self.init(order: order, runs: runs, pollutantPositions: positions, latestYear: latestYear)
        }

        /// Whether every place is one of `disclosures`' and the runs cover them all, each
        /// enterprise's once: a kept ordering is used only then. Its rows' keys are the loader's
        /// to compare (`DecodedDisclosures.replaceRows`); this guards against reading out of
        /// bounds, or an enterprise listed twice.
        func fits(_ disclosures: [Disclosure]) -> Bool {
            let count = disclosures.count
            return order.count == count && runs.last?.range.upperBound ?? 0 == count && Set(runs.map(\.enterpriseID)).count == runs.count
                && zip(runs, runs.dropFirst()).allSatisfy { $0.range.upperBound == $1.range.lowerBound } && runs.first?.range.lowerBound ?? 0 == 0
                && order.allSatisfy { $0 >= 0 && $0 < count }
                && pollutantPositions.values.reduce(0) { $0 + $1.count } == count
                && pollutantPositions.values.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < count } }
        }
    }
}
