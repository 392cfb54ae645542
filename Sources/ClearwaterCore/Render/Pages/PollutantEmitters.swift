import Foundation

/// The pollutant page's table: one row per enterprise with its yearly totals of the metal.
///
/// One row per enterprise rather than per disclosure: at province scale a pollutant has
/// hundreds of thousands of disclosures, a page no phone can open; each row links to the
/// enterprise page that lists them one by one, and the download carries every one.
struct PollutantEmitters {
    let environment: PageEnvironment

    /// The context of the `emitters` partial, largest latest-year total first.
    func table(_ figures: PollutantFigures) -> [String: Any] {
        let site = environment.site
        let ranks = site.nameRank[environment.language] ?? [:]
        // Largest latest-year total first (none counts as -1), then name order.
        let ordered = figures.emitters.sorted { first, second in
            let (a, b) = (first.kilograms.first.flatMap { $0 } ?? -1, second.kilograms.first.flatMap { $0 } ?? -1)
            let order = DecimalParts.compare(a, b)
            return order != .orderedSame ? order == .orderedDescending : (ranks[first.id] ?? 0, first.id) < (ranks[second.id] ?? 0, second.id)
        }
        let rows = ordered.map { emitter -> [String: Any] in
            let id = emitter.id
            let enterprise = site.enterpriseByID[id]
            return [
                "name": environment.enterpriseName(id),
                "href": environment.href(.enterprise(id: id)),
                "rank": String(ranks[id] ?? 0),
                "search": enterprise.map { $0.name.texts(in: environment.languages).joined(separator: " ").lowercasedQuickly } ?? id,
                "district": environment.label(site.vocabulary.districts, enterprise?.district),
                "districtKey": enterprise?.district ?? "",
                "years": emitter.kilograms.map { kilograms -> [String: String] in
                    guard let kilograms else { return ["text": "–", "kg": "-1"] }
                    return ["text": NumberFormat.kilograms(kilograms), "kg": NumberFormat.plain(kilograms)]
                },
                "exceedances": String(emitter.exceedances),
                "exceeds": emitter.exceedances > 0,
                "exceedsKey": emitter.exceedances > 0 ? "yes" : "no",
            ]
        }
        return [
            "tableID": "emitters",
            "years": figures.years.map { ["year": String($0)] },
            "rows": rows,
            "count": String(rows.count),
            "filters": [environment.filter("district", site.vocabulary.districts, used: Set(rows.compactMap { $0["districtKey"] as? String }))],
            "textFilter": true,
            "exceedsFilter": figures.hasLimits,
            "csvHref": environment.href(sitePath: "data/disclosures.csv"),
        ]
    }
}
