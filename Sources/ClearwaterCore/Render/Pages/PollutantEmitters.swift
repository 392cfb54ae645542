import Foundation

/// The pollutant page's table: one row per enterprise with its yearly totals of the metal.
///
/// One row per enterprise rather than per disclosure: at province scale a pollutant has
/// hundreds of thousands of disclosures, a page no phone can open; each row links to the
/// enterprise page that lists them one by one, and the download carries every one.
struct PollutantEmitters {
    let environment: PageEnvironment

    /// The context of the `emitters` partial, largest latest-year total first.
    func table(_ disclosures: [Disclosure]) -> [String: Any] {
        let site = environment.site
        let ranks = site.nameRank[environment.language] ?? [:]
        let years = Set(disclosures.map(\.year)).sorted(by: >)
        let latest = years.first
        // One pass: a province's pollutant has a hundred thousand disclosures.
        var sums: [String: [Int: DecimalSum]] = [:]
        var exceedanceCounts: [String: Int] = [:]
        for disclosure in disclosures {
            sums[disclosure.enterpriseID, default: [:]][disclosure.year, default: DecimalSum()].add(disclosure.amount.kilograms)
            if disclosure.exceedsLimit { exceedanceCounts[disclosure.enterpriseID, default: 0] += 1 }
        }
        let totals = sums.mapValues { $0.mapValues(\.total) }
        let order = totals.keys.sorted { first, second in
            let (a, b) = (latest.flatMap { totals[first]?[$0] } ?? -1, latest.flatMap { totals[second]?[$0] } ?? -1)
            return a != b ? a > b : (ranks[first] ?? 0, first) < (ranks[second] ?? 0, second)
        }
        let rows = order.map { id -> [String: Any] in
            let enterprise = site.enterpriseByID[id]
            let exceedances = exceedanceCounts[id] ?? 0
            return [
                "name": environment.enterpriseName(id),
                "href": environment.href(.enterprise(id: id)),
                "rank": String(ranks[id] ?? 0),
                "search": enterprise.map { $0.name.texts(in: environment.languages).joined(separator: " ").lowercased() } ?? id,
                "district": environment.label(site.vocabulary.districts, enterprise?.district),
                "districtKey": enterprise?.district ?? "",
                "years": years.map { year -> [String: String] in
                    guard let kilograms = totals[id]?[year] else { return ["text": "–", "kg": "-1"] }
                    return ["text": NumberFormat.kilograms(kilograms), "kg": NumberFormat.plain(kilograms)]
                },
                "exceedances": String(exceedances),
                "exceeds": exceedances > 0,
                "exceedsKey": exceedances > 0 ? "yes" : "no",
            ]
        }
        return [
            "tableID": "emitters",
            "years": years.map { ["year": String($0)] },
            "rows": rows,
            "count": String(rows.count),
            "filters": [environment.filter("district", site.vocabulary.districts, used: Set(rows.compactMap { $0["districtKey"] as? String }))],
            "textFilter": true,
            "exceedsFilter": disclosures.contains { $0.limit != nil },
            "csvHref": environment.href(sitePath: "data/disclosures.csv"),
        ]
    }
}
