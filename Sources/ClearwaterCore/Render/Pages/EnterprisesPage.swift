import Foundation

/// `/L/enterprises/`: the directory, one table row per enterprise with its latest year's totals.
struct EnterprisesPage {
    let environment: PageEnvironment

    func context() -> [String: Any] {
        let site = environment.site
        let latestYear = site.latestYear
        let media = site.vocabulary.media.keys
        let rows = site.enterprises
            .map { enterprise -> (name: String, id: String, row: [String: Any]) in
                let name = environment.text(enterprise.name)
                let latest = (site.disclosuresByEnterprise[enterprise.id] ?? []).filter { $0.year == latestYear }
                let totals = EmissionTotals.byMedium(latest)
                let row: [String: Any] = [
                    "name": name,
                    "href": environment.href(.enterprise(id: enterprise.id)),
                    "district": environment.label(site.vocabulary.districts, enterprise.district),
                    "industry": environment.label(site.vocabulary.industries, enterprise.industry),
                    "status": environment.label(site.vocabulary.statuses, enterprise.status),
                    "statusKey": enterprise.status,
                    "keyRegulated": environment.yesNo(enterprise.keyRegulated),
                    "totals": media.map { ["amount": totals[$0].map(NumberFormat.kilograms) ?? "–"] },
                ]
                return (name, enterprise.id, row)
            }
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            .map(\.row)
        return [
            "rows": rows,
            "count": String(rows.count),
            "latestYear": latestYear.map(String.init) ?? "",
            "media": media.map { ["label": environment.label(site.vocabulary.media, $0)] },
            "csvHref": environment.href(sitePath: "data/enterprises.csv"),
        ]
    }
}
