import Foundation

/// The disclosures table, its rows and its filters, shared by the enterprise and pollutant pages.
struct DisclosureRows {
    let environment: PageEnvironment

    /// The context of the `disclosures` partial: rows newest year first, with filter keys and sort values.
    func table(_ disclosures: [Disclosure], withEnterprise: Bool) -> [String: Any] {
        let vocabulary = environment.site.vocabulary
        let ranks = environment.site.nameRank[environment.language] ?? [:]
        let rows = disclosures.map { disclosure -> [String: Any] in
            var row: [String: Any] = [
                "year": String(disclosure.year),
                "pollutant": environment.label(vocabulary.pollutants, disclosure.pollutant),
                "pollutantKey": disclosure.pollutant,
                "medium": environment.label(vocabulary.media, disclosure.medium),
                "mediumKey": disclosure.medium,
                "amount": NumberFormat.grouped(disclosure.amount.value),
                "amountKg": disclosure.amount.kilograms.description,
                "unit": disclosure.amount.unit.rawValue,
                "method": environment.label(vocabulary.dischargeMethods, disclosure.method),
                "destination": environment.text(disclosure.destination),
                "limit": disclosure.limit.map(NumberFormat.grouped) ?? "",
                "limitKg": disclosure.limit.map { Mass($0, disclosure.amount.unit).kilograms.description } ?? "-1",
                "exceeds": disclosure.exceedsLimit,
                "exceedsKey": disclosure.exceedsLimit ? "yes" : "no",
                "basis": disclosure.basis.map { environment.t("basis_\($0.rawValue)") } ?? "",
                "source": disclosure.source ?? "",
            ]
            if withEnterprise {
                row["enterprise"] = environment.enterpriseName(disclosure.enterpriseID)
                row["search"] = environment.site.enterpriseByID[disclosure.enterpriseID].map { enterprise in
                    environment.languages.map { enterprise.name.text(in: $0, fallbacks: environment.languages) }.joined(separator: " ").lowercased()
                } ?? disclosure.enterpriseID
                row["enterpriseRank"] = String(ranks[disclosure.enterpriseID] ?? 0)
                row["enterpriseHref"] = environment.href(.enterprise(id: disclosure.enterpriseID))
            }
            return row
        }
        let years = Set(disclosures.map(\.year)).sorted(by: >).map { (String($0), String($0)) }
        var filters = [environment.filter("year", years)]
        if !withEnterprise {
            filters.append(environment.filter("pollutant", vocabulary.pollutants, used: Set(disclosures.map(\.pollutant))))
        }
        filters.append(environment.filter("medium", vocabulary.media, used: Set(disclosures.map(\.medium))))
        return [
            "tableID": "disclosures",
            "rows": rows,
            "count": String(rows.count),
            "withEnterprise": withEnterprise,
            "withPollutant": !withEnterprise,
            "filters": filters,
            "textFilter": withEnterprise,
            "exceedsFilter": disclosures.contains { $0.limit != nil },
            "exceedances": String(disclosures.filter(\.exceedsLimit).count),
            "csvHref": environment.href(sitePath: "data/disclosures.csv"),
        ]
    }
}
