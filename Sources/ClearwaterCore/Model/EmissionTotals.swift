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
    /// `Site.Selection.forEachInPlace` does.
    public static func byYear(per key: KeyPath<Disclosure, String>, visiting visit: ((UnsafePointer<Disclosure>) -> Void) -> Void) -> [YearTotals] {
        var years: [Int: (byKey: [String: DecimalSum], total: DecimalSum)] = [:]
        visit { disclosure in
            let kilograms = disclosure.pointee.amount.kilograms
            years[disclosure.pointee.year, default: ([:], DecimalSum())].byKey[disclosure.pointee[keyPath: key], default: DecimalSum()].add(kilograms)
            years[disclosure.pointee.year]?.total.add(kilograms)
        }
        return years.sorted { $0.key > $1.key }.map { YearTotals(year: $0.key, byKey: $0.value.byKey.mapValues(\.total), total: $0.value.total.total) }
    }

    /// Kilograms per medium key for the disclosures given.
    public static func byMedium(_ disclosures: some Sequence<Disclosure>) -> [String: Decimal] {
        var sums: [String: DecimalSum] = [:]
        for disclosure in disclosures { sums[disclosure.medium, default: DecimalSum()].add(disclosure.amount.kilograms) }
        return sums.mapValues(\.total)
    }
}
