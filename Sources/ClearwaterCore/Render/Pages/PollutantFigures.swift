import Foundation

/// The figures a metal's page shows in every language — its yearly totals, its emitters' sums,
/// its chart of the largest — from one pass over its disclosures.
///
/// At province scale a metal has a hundred thousand disclosures: its table, its two charts and
/// its yearly totals each took a pass or two over them, copying every one, on each language's
/// page; together they were a tenth of a rebuild after one row.
struct PollutantFigures: Sendable {
    /// Each year's totals per medium and in all, newest year first.
    let yearly: [EmissionTotals.YearTotals]
    /// The media disclosed.
    let media: Set<String>
    /// Each enterprise's kilograms in each of `years` (`nil` where it disclosed none) and its
    /// disclosures over their limits, in the order the disclosures list them.
    let emitters: [(id: String, kilograms: [Decimal?], exceedances: Int)]
    /// Whether any disclosure states a limit.
    let hasLimits: Bool

    /// Every year disclosed, newest first.
    var years: [Int] { yearly.map(\.year) }

    init(_ disclosures: Site.Selection) {
        // A handful of years, each of a medium or two, and a handful of years per enterprise:
        // found by a look along them, not by hashing four times for each of a hundred thousand
        // disclosures.
        var byYear: [(year: Int, byMedium: [(medium: String, sum: DecimalSum)], total: DecimalSum)] = []
        var sums: [(id: String, byYear: [(year: Int, sum: DecimalSum)], exceedances: Int)] = []
        var slotOf: [String: Int] = [:]
        var hasLimits = false
        disclosures.forEachInPlace { disclosure in
            let kilograms = disclosure.pointee.amount.kilograms
            let year = byYear.firstIndex { $0.year == disclosure.pointee.year } ?? {
                byYear.append((disclosure.pointee.year, [], DecimalSum()))
                return byYear.count - 1
            }()
            let medium = byYear[year].byMedium.firstIndex { $0.medium == disclosure.pointee.medium } ?? {
                byYear[year].byMedium.append((disclosure.pointee.medium, DecimalSum()))
                return byYear[year].byMedium.count - 1
            }()
            byYear[year].byMedium[medium].sum.add(kilograms)
            byYear[year].total.add(kilograms)
            if disclosure.pointee.limit != nil { hasLimits = true }
            // An enterprise's disclosures lie together: its slot is looked up once per run of them.
            var slot = sums.count - 1
            if sums.last?.id != disclosure.pointee.enterpriseID {
                slot = slotOf[disclosure.pointee.enterpriseID] ?? sums.count
                if slot == sums.count {
                    slotOf[disclosure.pointee.enterpriseID] = slot
                    sums.append((disclosure.pointee.enterpriseID, [], 0))
                }
            }
            if let place = sums[slot].byYear.firstIndex(where: { $0.year == disclosure.pointee.year }) {
                sums[slot].byYear[place].sum.add(kilograms)
            } else {
                var sum = DecimalSum()
                sum.add(kilograms)
                sums[slot].byYear.append((disclosure.pointee.year, sum))
            }
            if disclosure.pointee.exceedsLimit { sums[slot].exceedances += 1 }
        }
        byYear.sort { $0.year > $1.year }
        let years = byYear.map(\.year)
        yearly = byYear.map { totals in
            EmissionTotals.YearTotals(year: totals.year, byKey: Dictionary(uniqueKeysWithValues: totals.byMedium.map { ($0.medium, $0.sum.total) }),
                                      total: totals.total.total)
        }
        media = Set(byYear.flatMap { $0.byMedium.map(\.medium) })
        emitters = sums.map { emitter in
            (emitter.id, years.map { year in emitter.byYear.first { $0.year == year }?.sum.total }, emitter.exceedances)
        }
        self.hasLimits = hasLimits
    }
}
