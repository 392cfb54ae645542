import Foundation

/// Sums of disclosed amounts, always in kilograms, always exact.
public enum EmissionTotals {
    public static func kilograms(_ disclosures: some Sequence<Disclosure>) -> Decimal {
        disclosures.reduce(Decimal(0)) { $0 + $1.amount.kilograms }
    }

    /// Kilograms per medium key for the disclosures given.
    public static func byMedium(_ disclosures: some Sequence<Disclosure>) -> [String: Decimal] {
        var totals: [String: Decimal] = [:]
        for disclosure in disclosures { totals[disclosure.medium, default: 0] += disclosure.amount.kilograms }
        return totals
    }
}
