import Foundation

/// An enterprise's disclosures table, its rows and its filters.
struct DisclosureRows {
    let environment: PageEnvironment

    /// The context of the `disclosures` partial: rows newest year first, with filter keys and sort values.
    func table(_ disclosures: [Disclosure]) -> [String: Any] {
        let vocabulary = environment.site.vocabulary
        // Every cell text, a flag included (empty text is false to a section): the template engine
        // reads text from `[String: String]` without the casts a `[String: Any]` row needs, for
        // each of a million rows at province scale.
        let rows = disclosures.map { disclosure -> [String: String] in
            [
                "year": String(disclosure.year),
                "pollutant": environment.label(vocabulary.pollutants, disclosure.pollutant),
                "pollutantKey": disclosure.pollutant,
                "medium": environment.label(vocabulary.media, disclosure.medium),
                "mediumKey": disclosure.medium,
                "amount": NumberFormat.grouped(disclosure.amount.value),
                "amountKg": NumberFormat.plain(disclosure.amount.kilograms),
                "unit": disclosure.amount.unit.rawValue,
                "method": environment.label(vocabulary.dischargeMethods, disclosure.method),
                "destination": environment.text(disclosure.destination),
                "limit": disclosure.limit.map(NumberFormat.grouped) ?? "",
                "limitKg": disclosure.limit.map { NumberFormat.plain(Mass($0, disclosure.amount.unit).kilograms) } ?? "-1",
                "exceeds": disclosure.exceedsLimit ? "yes" : "",
                "exceedsKey": disclosure.exceedsLimit ? "yes" : "no",
                "basis": disclosure.basis.map { environment.t("basis_\($0.rawValue)") } ?? "",
                "source": disclosure.source ?? "",
            ]
        }
        let years = Set(disclosures.map(\.year)).sorted(by: >).map { (String($0), String($0)) }
        let filters = [
            environment.filter("year", years),
            environment.filter("pollutant", vocabulary.pollutants, used: Set(disclosures.map(\.pollutant))),
            environment.filter("medium", vocabulary.media, used: Set(disclosures.map(\.medium))),
        ]
        return [
            "tableID": "disclosures",
            "rows": rows,
            "count": String(rows.count),
            "filters": filters,
            "exceedsFilter": disclosures.contains { $0.limit != nil },
            "exceedances": String(disclosures.filter(\.exceedsLimit).count),
            "csvHref": environment.href(sitePath: "data/disclosures.csv"),
        ]
    }
}
