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
        var byYear: [Int: (byMedium: [String: DecimalSum], total: DecimalSum)] = [:]
        // A handful of years per enterprise: found by a look along them, not by hashing.
        var sums: [(id: String, byYear: [(year: Int, sum: DecimalSum)], exceedances: Int)] = []
        var slotOf: [String: Int] = [:]
        var media = Set<String>()
        var hasLimits = false
        disclosures.forEachInPlace { disclosure in
            let kilograms = disclosure.pointee.amount.kilograms
            byYear[disclosure.pointee.year, default: ([:], DecimalSum())].byMedium[disclosure.pointee.medium, default: DecimalSum()].add(kilograms)
            byYear[disclosure.pointee.year]?.total.add(kilograms)
            media.insert(disclosure.pointee.medium)
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
        let years = byYear.keys.sorted(by: >)
        yearly = years.map { year in
            let totals = byYear[year] ?? ([:], DecimalSum())
            return EmissionTotals.YearTotals(year: year, byKey: totals.byMedium.mapValues(\.total), total: totals.total.total)
        }
        self.media = media
        emitters = sums.map { emitter in
            (emitter.id, years.map { year in emitter.byYear.first { $0.year == year }?.sum.total }, emitter.exceedances)
        }
        self.hasLimits = hasLimits
    }

    /// Each metal's figures, made by the first of its pages to ask and read by the others: the
    /// pages of every language render at once.
    final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [String: Slot] = [:]

        private final class Slot: @unchecked Sendable {
            let lock = NSLock()
            var figures: PollutantFigures?
        }

        func figures(of code: String, in site: Site) -> PollutantFigures {
            let slot = lock.withLock {
                if let slot = slots[code] { return slot }
                let slot = Slot()
                slots[code] = slot
                return slot
            }
            // One lock per metal: another metal's pages need not wait for this one's figures.
            return slot.lock.withLock {
                if let figures = slot.figures { return figures }
                let figures = PollutantFigures(site.disclosures(ofPollutant: code))
                slot.figures = figures
                return figures
            }
        }
    }
}
