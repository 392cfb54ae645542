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

    /// What a year's totals are split by.
    public enum Split: Sendable {
        case pollutant, medium

        /// A switch, not a key path: projecting a key path looked up generic metadata for every
        /// disclosure of every enterprise page.
        func key(of disclosure: UnsafePointer<Disclosure>) -> String {
            switch self {
            case .pollutant: disclosure.pointee.pollutant
            case .medium: disclosure.pointee.medium
            }
        }
    }

    /// Each year's totals per pollutant or medium, newest year first, in one pass: grouping a
    /// pollutant's hundred thousand disclosures by year copied every one of them, for each
    /// table and chart. Read where they stand: copying each out of the array retained its texts.
    public static func byYear(_ disclosures: [Disclosure], per split: Split) -> [YearTotals] {
        byYear(per: split) { visit in
            disclosures.withUnsafeBufferPointer { buffer in
                guard let first = buffer.baseAddress else { return }
                for offset in buffer.indices { visit(first + offset) }
            }
        }
    }

    /// The same, for disclosures read where they stand: `visit` hands each to its argument, as
    /// `Site.Selection.forEachInPlace` does. A few years and a few keys, found by comparing
    /// rather than hashing: every enterprise page sums its disclosures twice, and dictionaries
    /// keyed by year and key were a fortieth of a province's full build.
    public static func byYear(per split: Split, visiting visit: ((UnsafePointer<Disclosure>) -> Void) -> Void) -> [YearTotals] {
        var years: [(year: Int, keys: [String], sums: [DecimalSum], total: DecimalSum)] = []
        visit { disclosure in
            let kilograms = disclosure.pointee.amount.kilograms
            let year = disclosure.pointee.year, name = split.key(of: disclosure)
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
