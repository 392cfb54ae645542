/// `/L/districts/KEY/`: the enterprises of one district and what they disclosed together.
struct DistrictPage {
    let environment: PageEnvironment
    let key: String
    /// Its enterprises' totals per medium for each year (`yearlyTotals(of:in:)`), the same in every language.
    let yearly: [EmissionTotals.YearTotals]

    func context() -> [String: Any] {
        let site = environment.site
        let enterprises = site.enterprises(inDistrict: key)
        var context = EnterprisesPage(environment: environment).table(enterprises)
        context["label"] = environment.label(site.vocabulary.districts, key)
        context["yearly"] = YearlyTotals(environment: environment).rows(yearly)
        context["media"] = site.vocabulary.media.keys.map { ["label": environment.label(site.vocabulary.media, $0)] }
        context["hasDisclosures"] = enterprises.contains { !site.disclosures(of: $0.id).isEmpty }
        context["directoryHref"] = environment.href(.enterprises)
        return context
    }

    /// Read in place: a province's district has tens of thousands of disclosures.
    static func yearlyTotals(of key: String, in site: Site) -> [EmissionTotals.YearTotals] {
        EmissionTotals.byYear(per: .medium) { visit in
            for enterprise in site.enterprises(inDistrict: key) { site.disclosures(of: enterprise.id).forEachInPlace(visit) }
        }
    }
}
