import Foundation

/// Sums of disclosed amounts, always in kilograms, always exact.
public enum EmissionTotals {
    public static func kilograms(_ disclosures: some Sequence<Disclosure>) -> Decimal {
        var sum = DecimalSum()
        for disclosure in disclosures { sum.add(disclosure.amount.kilograms) }
        return sum.total
    }

    /// A year's kilograms, per medium or pollutant key and in all.
    public struct YearTotals: Sendable {
        public let year: Int
        public let byKey: [String: Decimal]
        public let total: Decimal
    }

    /// Each year's totals per `key` (a disclosure's medium or pollutant), newest year first, in
    /// one pass: grouping a pollutant's hundred thousand disclosures by year copied every one
    /// of them, for each table and chart.
    public static func byYear(_ disclosures: some Sequence<Disclosure>, per key: KeyPath<Disclosure, String>) -> [YearTotals] {
        byYear(per: key) { visit in
            for disclosure in disclosures { withUnsafePointer(to: disclosure, visit) }
        }
    }

    /// The same, for disclosures read where they stand: `visit` hands each to its argument, as
    /// `Site.Selection.forEachInPlace` does. A few years and a few keys, found by comparing
    /// rather than hashing: every enterprise page sums its disclosures twice, and dictionaries
    /// keyed by year and key were a fortieth of a province's full build.
    public static func byYear(per key: KeyPath<Disclosure, String>, visiting visit: ((UnsafePointer<Disclosure>) -> Void) -> Void) -> [YearTotals] {
        var years: [(year: Int, keys: [String], sums: [DecimalSum], total: DecimalSum)] = []
        visit { disclosure in
            let kilograms = disclosure.pointee.amount.kilograms
            let year = disclosure.pointee.year, name = disclosure.pointee[keyPath: key]
            let place = years.firstIndex { $0.year == year } ?? {
                years.append((year, [], [], DecimalSum()))
                return years.count - 1
            }()
            if let slot = years[place].keys.firstIndex(of: name) {
                years[place].sums[slot].add(kilograms)
            } else {
                years[place].keys.append(name)
                years[place].sums.append(DecimalSum())
                years[place].sums[years[place].sums.count - 1].add(kilograms)
            }
            years[place].total.add(kilograms)
        }
        return years.sorted { $0.year > $1.year }.map { year in
            YearTotals(year: year.year, byKey: Dictionary(uniqueKeysWithValues: zip(year.keys, year.sums.map(\.total))), total: year.total.total)
        }
    }

    /// Kilograms per medium key for the disclosures given.
    public static func byMedium(_ disclosures: some Sequence<Disclosure>) -> [String: Decimal] {
        var sums: [String: DecimalSum] = [:]
        for disclosure in disclosures { sums[disclosure.medium, default: DecimalSum()].add(disclosure.amount.kilograms) }
        return sums.mapValues(\.total)
    }
}
