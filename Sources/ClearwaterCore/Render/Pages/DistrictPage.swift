/// `/L/districts/KEY/`: the enterprises of one district and what they disclosed together.
struct DistrictPage {
    let environment: PageEnvironment
    let key: String

    func context() -> [String: Any] {
        let site = environment.site
        let enterprises = site.enterprises(inDistrict: key)
        // Read in place: a province's district has tens of thousands of disclosures.
        let disclosures = enterprises.lazy.flatMap { site.disclosures(of: $0.id) }
        var context = EnterprisesPage(environment: environment).table(enterprises)
        context["label"] = environment.label(site.vocabulary.districts, key)
        context["yearly"] = YearlyTotals(environment: environment).rows(disclosures)
        context["media"] = site.vocabulary.media.keys.map { ["label": environment.label(site.vocabulary.media, $0)] }
        context["hasDisclosures"] = !disclosures.isEmpty
        context["directoryHref"] = environment.href(.enterprises)
        return context
    }
}
