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

    /// Kilograms per medium key for the disclosures given.
    public static func byMedium(_ disclosures: some Sequence<Disclosure>) -> [String: Decimal] {
        var sums: [String: DecimalSum] = [:]
        for disclosure in disclosures { sums[disclosure.medium, default: DecimalSum()].add(disclosure.amount.kilograms) }
        return sums.mapValues(\.total)
    }
}
