import Foundation

/// The pollutant page's table: one row per enterprise with its yearly totals of the metal.
///
/// One row per enterprise rather than per disclosure: at province scale a pollutant has
/// hundreds of thousands of disclosures, a page no phone can open; each row links to the
/// enterprise page that lists them one by one, and the download carries every one.
struct PollutantEmitters {
    let environment: PageEnvironment

    /// The names the `emitters` partial reads in a row, and in each of its years.
    private enum Column: String, CaseIterable {
        case name, href, rank, search, district, districtKey, exceedances, exceeds, exceedsKey
    }

    private enum YearColumn: String, CaseIterable {
        case text, kg
    }

    /// The context of the `emitters` partial, largest latest-year total first.
    func table(_ figures: PollutantFigures) -> [String: Any] {
        let site = environment.site
        let ranks = site.nameRank[environment.language] ?? [:]
        let emitters = figures.emitters
        // Ranks and latest-year totals (none counts as -1) looked up once per enterprise, not
        // twice per comparison, each of which copied two emitters out of their list.
        let rank = emitters.map { ranks[$0.id] ?? 0 }
        let latest = emitters.map { $0.kilograms.first.flatMap { $0 } ?? -1 }
        // Largest latest-year total first, then name order.
        let order = emitters.indices.sorted { first, second in
            let order = DecimalParts.compare(latest[first], latest[second])
            return order != .orderedSame ? order == .orderedDescending : (rank[first], emitters[first].id) < (rank[second], emitters[second].id)
        }
        let districts = environment.labels(site.vocabulary.districts)
        // Each row's enterprise found once, not once per cell.
        let ordered = order.map { (emitter: emitters[$0], enterprise: site.enterpriseByID[emitters[$0].id], rank: rank[$0]) }
        let table = TextTable(ordered, columns: Column.self) { row, column in
            switch column {
            case .name: row.enterprise.map { environment.text($0.name) } ?? row.emitter.id
            case .href: environment.href(.enterprise(id: row.emitter.id))
            case .rank: String(row.rank)
            case .search: row.enterprise.map { $0.name.texts(in: environment.languages).joined(separator: " ").lowercasedQuickly } ?? row.emitter.id
            case .district: districts(row.enterprise?.district)
            case .districtKey: row.enterprise?.district ?? ""
            case .exceedances: String(row.emitter.exceedances)
            // Text like every cell: empty is false to a section.
            case .exceeds: row.emitter.exceedances > 0 ? "yes" : ""
            case .exceedsKey: row.emitter.exceedances > 0 ? "yes" : "no"
            }
        }
        let rows = table.adding(list: "years", columns: YearColumn.self, items: { ordered[$0].emitter.kilograms }) { kilograms, column in
            switch column {
            case .text: kilograms.map(NumberFormat.kilograms) ?? "–"
            case .kg: kilograms.map(NumberFormat.plain) ?? "-1"
            }
        }
        // The years are the columns, so every row shows them.
        let years = figures.years.map(String.init).joined(separator: " ")
        return [
            "tableID": "emitters",
            "years": figures.years.map { ["year": String($0)] },
            "rows": environment.reusingRows(of: rows, enterprises: order.map { emitters[$0].id }) { [String(rank[order[$0]]), years] },
            "count": String(emitters.count),
            "filters": [environment.filter("district", site.vocabulary.districts, used: Set(ordered.compactMap { $0.enterprise?.district }))],
            "textFilter": true,
            "exceedsFilter": figures.hasLimits,
            "csvHref": environment.href(sitePath: "data/disclosures.csv"),
        ]
    }
}
