/// Table rows of disclosed kilograms per year and medium, newest year first; shared by the
/// enterprise, pollutant and district pages.
struct YearlyTotals {
    let environment: PageEnvironment

    func rows(_ disclosures: [Disclosure]) -> [[String: Any]] {
        rows(EmissionTotals.byYear(disclosures, per: .medium))
    }

    /// From totals per medium already worked out, newest year first.
    func rows(_ totals: [EmissionTotals.YearTotals]) -> [[String: Any]] {
        let media = environment.site.vocabulary.media.keys
        return totals.map { year -> [String: Any] in
            [
                "year": String(year.year),
                "media": media.map { ["amount": year.byKey[$0].map(NumberFormat.kilograms) ?? "–"] },
                "totalKg": NumberFormat.kilograms(year.total),
            ]
        }
    }
}
