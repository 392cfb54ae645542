import Foundation

/// An enterprise's disclosures table, its rows and its filters.
struct DisclosureRows {
    let environment: PageEnvironment

    /// The names the `disclosures` partial reads in a row.
    private enum Column: String, CaseIterable {
        case year, pollutant, pollutantKey, medium, mediumKey, amount, amountKg, unit, method, destination, limit, limitKg, exceeds, exceedsKey, basis, source
    }

    /// The context of the `disclosures` partial: rows newest year first, with filter keys and sort values.
    func table(_ disclosures: [Disclosure]) -> [String: Any] {
        let vocabulary = environment.site.vocabulary
        let (pollutants, media, methods) = (environment.labels(vocabulary.pollutants), environment.labels(vocabulary.media), environment.labels(vocabulary.dischargeMethods))
        let bases = Dictionary(uniqueKeysWithValues: Basis.allCases.map { ($0, environment.t("basis_\($0.rawValue)")) })
        let rows = TextTable(disclosures, columns: Column.self) { disclosure, column in
            switch column {
            case .year: String(disclosure.year)
            case .pollutant: pollutants(disclosure.pollutant)
            case .pollutantKey: disclosure.pollutant
            case .medium: media(disclosure.medium)
            case .mediumKey: disclosure.medium
            case .amount: NumberFormat.grouped(disclosure.amount.value)
            case .amountKg: NumberFormat.plain(disclosure.amount.kilograms)
            case .unit: disclosure.amount.unit.rawValue
            case .method: methods(disclosure.method)
            case .destination: environment.text(disclosure.destination)
            case .limit: disclosure.limit.map(NumberFormat.grouped) ?? ""
            case .limitKg: disclosure.limit.map { NumberFormat.plain(Mass($0, disclosure.amount.unit).kilograms) } ?? "-1"
            // Text like every cell: empty is false to a section.
            case .exceeds: disclosure.exceedsLimit ? "yes" : ""
            case .exceedsKey: disclosure.exceedsLimit ? "yes" : "no"
            case .basis: disclosure.basis.flatMap { bases[$0] } ?? ""
            case .source: disclosure.source ?? ""
            }
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
