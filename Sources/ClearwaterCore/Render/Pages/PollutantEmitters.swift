import Foundation

/// The pollutant page's table: one row per enterprise with its yearly totals of the metal.
///
/// One row per enterprise rather than per disclosure: at province scale a pollutant has
/// hundreds of thousands of disclosures, a page no phone can open; each row links to the
/// enterprise page that lists them one by one, and the download carries every one.
struct PollutantEmitters {
    let environment: PageEnvironment

    /// The context of the `emitters` partial, largest latest-year total first.
    func table(_ disclosures: some Collection<Disclosure>) -> [String: Any] {
        let site = environment.site
        let ranks = site.nameRank[environment.language] ?? [:]
        let years = Set(disclosures.map(\.year)).sorted(by: >)
        let yearSlot = Dictionary(uniqueKeysWithValues: years.enumerated().map { ($1, $0) })
        // One pass, a slot per year: a province's pollutant has a hundred thousand disclosures,
        // an enterprise's lie together, so the index is looked up once per enterprise.
        var emitters: [(id: String, sums: [DecimalSum?], exceedances: Int)] = []
        var slotOf: [String: Int] = [:]
        for disclosure in disclosures {
            var slot = emitters.count - 1
            if emitters.last?.id != disclosure.enterpriseID {
                slot = slotOf[disclosure.enterpriseID] ?? emitters.count
                if slot == emitters.count {
                    slotOf[disclosure.enterpriseID] = slot
                    emitters.append((disclosure.enterpriseID, Array(repeating: nil, count: years.count), 0))
                }
            }
            let year = yearSlot[disclosure.year] ?? 0
            var sum = emitters[slot].sums[year] ?? DecimalSum()
            sum.add(disclosure.amount.kilograms)
            emitters[slot].sums[year] = sum
            if disclosure.exceedsLimit { emitters[slot].exceedances += 1 }
        }
        let totals = emitters.map { (id: $0.id, kilograms: $0.sums.map { $0?.total }, exceedances: $0.exceedances) }
        // Largest latest-year total first (none counts as -1), then name order.
        let ordered = totals.sorted { first, second in
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
