import Foundation

/// Sums of disclosed amounts, always in kilograms, always exact.
public enum EmissionTotals {
    public static func kilograms(_ disclosures: some Sequence<Disclosure>) -> Decimal {
        disclosures.reduce(Decimal(0)) { $0 + $1.amount.kilograms }
    }

    /// The disclosures grouped by year, newest year first, each group in its original order.
    public static func byYearDescending(_ disclosures: [Disclosure]) -> [(year: Int, disclosures: [Disclosure])] {
        Dictionary(grouping: disclosures, by: \.year).sorted { $0.key > $1.key }.map { ($0.key, $0.value) }
    }

    /// Kilograms per medium key for the disclosures given.
    public static func byMedium(_ disclosures: some Sequence<Disclosure>) -> [String: Decimal] {
        var totals: [String: Decimal] = [:]
        for disclosure in disclosures { totals[disclosure.medium, default: 0] += disclosure.amount.kilograms }
        return totals
    }
}
