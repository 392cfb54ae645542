import Foundation

/// Sums of disclosed amounts, always in kilograms, always exact.
public enum EmissionTotals {
    public static func kilograms(_ disclosures: some Sequence<Disclosure>) -> Decimal {
        var sum = DecimalSum()
        for disclosure in disclosures { sum.add(disclosure.amount.kilograms) }
        return sum.total
    }

    /// The disclosures grouped by year, newest year first, each group in its original order.
    public static func byYearDescending(_ disclosures: [Disclosure]) -> [(year: Int, disclosures: [Disclosure])] {
        Dictionary(grouping: disclosures, by: \.year).sorted { $0.key > $1.key }.map { ($0.key, $0.value) }
    }

    /// A year's kilograms, per medium key and in all.
    public struct YearTotals {
        public let year: Int
        public let byMedium: [String: Decimal]
        public let total: Decimal
    }

    /// Each year's totals, newest year first, in one pass: grouping a pollutant's hundred
    /// thousand disclosures by year copied every one of them, for each table and chart.
    public static func byYear(_ disclosures: [Disclosure]) -> [YearTotals] {
        var years: [Int: (byMedium: [String: DecimalSum], total: DecimalSum)] = [:]
        for disclosure in disclosures {
            let kilograms = disclosure.amount.kilograms
            years[disclosure.year, default: ([:], DecimalSum())].byMedium[disclosure.medium, default: DecimalSum()].add(kilograms)
            years[disclosure.year]?.total.add(kilograms)
        }
        return years.sorted { $0.key > $1.key }.map { YearTotals(year: $0.key, byMedium: $0.value.byMedium.mapValues(\.total), total: $0.value.total.total) }
    }

    /// Kilograms per medium key for the disclosures given.
    public static func byMedium(_ disclosures: some Sequence<Disclosure>) -> [String: Decimal] {
        var sums: [String: DecimalSum] = [:]
        for disclosure in disclosures { sums[disclosure.medium, default: DecimalSum()].add(disclosure.amount.kilograms) }
        return sums.mapValues(\.total)
    }
}
