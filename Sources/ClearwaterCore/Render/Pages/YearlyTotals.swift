/// Table rows of disclosed kilograms per year and medium, newest year first; shared by the
/// enterprise, pollutant and district pages.
struct YearlyTotals {
    let environment: PageEnvironment

    func rows(_ disclosures: [Disclosure]) -> [[String: Any]] {
        let media = environment.site.vocabulary.media.keys
        return EmissionTotals.byYearDescending(disclosures).map { year, ofYear -> [String: Any] in
            let byMedium = EmissionTotals.byMedium(ofYear)
            return [
                "year": String(year),
                "media": media.map { ["amount": byMedium[$0].map(NumberFormat.kilograms) ?? "–"] },
                "totalKg": NumberFormat.kilograms(EmissionTotals.kilograms(ofYear)),
            ]
        }
    }
}
