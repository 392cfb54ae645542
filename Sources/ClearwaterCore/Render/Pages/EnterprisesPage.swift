import Foundation

/// `/L/enterprises/`: the directory, one table row per enterprise with its latest year's totals.
struct EnterprisesPage {
    let environment: PageEnvironment

    func context() -> [String: Any] {
        let site = environment.site
        var context = table(site.enterprises)
        context["filters"] = filters(site.enterprises)
        context["tableID"] = "directory"
        context["textFilter"] = true
        context["districts"] = site.districtsInUse.map { key in
            ["label": environment.label(site.vocabulary.districts, key), "href": environment.href(.district(key: key)),
             "count": String(site.enterprises(inDistrict: key).count)]
        }
        return context
    }

    /// The names the `directory` partial reads in a row, and in each of its totals.
    private enum Column: String, CaseIterable {
        case name, nameRank, search, href, district, districtKey, districtHref, industry, industryKey, status, statusKey, keyRegulated, keyRegulatedKey
    }

    private enum TotalColumn: String, CaseIterable {
        case amount, sort
    }

    /// The directory table for any set of enterprises, in name order; the district pages use it too.
    func table(_ enterprises: [Enterprise]) -> [String: Any] {
        let site = environment.site
        let vocabulary = site.vocabulary
        let latestYear = site.latestYear
        let ranks = site.nameRank[environment.language] ?? [:]
        // Ranks looked up once per enterprise, not twice per comparison.
        let rank = enterprises.map { ranks[$0.id] ?? 0 }
        let order = enterprises.indices.sorted { (rank[$0], enterprises[$0].id) < (rank[$1], enterprises[$1].id) }
        let media = vocabulary.media.keys
        let (districts, industries, statuses) = (environment.labels(vocabulary.districts), environment.labels(vocabulary.industries), environment.labels(vocabulary.statuses))
        let table = TextTable(order, columns: Column.self) { index, column in
            let enterprise = enterprises[index]
            return switch column {
            case .name: environment.text(enterprise.name)
            case .nameRank: String(rank[index])
            case .search: (enterprise.name.texts(in: environment.languages) + [enterprise.creditCode ?? "", enterprise.id]).joined(separator: " ").lowercasedQuickly
            case .href: environment.href(.enterprise(id: enterprise.id))
            case .district: districts(enterprise.district)
            case .districtKey: enterprise.district
            case .districtHref: environment.href(.district(key: enterprise.district))
            case .industry: industries(enterprise.industry)
            case .industryKey: enterprise.industry
            case .status: statuses(enterprise.status)
            case .statusKey: enterprise.status
            case .keyRegulated: environment.yesNo(enterprise.keyRegulated)
            case .keyRegulatedKey: enterprise.keyRegulated == true ? "yes" : "no"
            }
        }
        // A row's enterprise's latest-year total of each medium, in the media's order.
        let totals = { (row: Int) -> [Decimal?] in
            var sums = Array(repeating: DecimalSum(), count: media.count), disclosed = Array(repeating: false, count: media.count)
            site.disclosures(of: enterprises[order[row]].id).forEachInPlace { disclosure in
                guard disclosure.pointee.year == latestYear, let medium = media.firstIndex(of: disclosure.pointee.medium) else { return }
                sums[medium].add(disclosure.pointee.amount.kilograms)
                disclosed[medium] = true
            }
            return media.indices.map { disclosed[$0] ? sums[$0].total : nil }
        }
        let rows = table.adding(list: "totals", columns: TotalColumn.self, items: totals) { total, column in
            switch column {
            case .amount: total.map(NumberFormat.kilograms) ?? "–"
            case .sort: total.map(NumberFormat.plain) ?? "-1"
            }
        }
        let year = latestYear.map(String.init) ?? ""
        return [
            "rows": environment.reusingRows(of: rows, enterprises: order.map { enterprises[$0].id }) { [String(rank[order[$0]]), year] },
            "count": String(enterprises.count),
            "latestYear": year,
            "media": media.map { ["label": environment.label(vocabulary.media, $0), "key": $0] },
            "csvHref": environment.href(sitePath: "data/enterprises.csv"),
        ]
    }

    private func filters(_ enterprises: [Enterprise]) -> [[String: Any]] {
        let vocabulary = environment.site.vocabulary
        return [
            environment.filter("district", vocabulary.districts, used: Set(enterprises.map(\.district))),
            environment.filter("industry", vocabulary.industries, used: Set(enterprises.map(\.industry))),
            environment.filter("status", vocabulary.statuses, used: Set(enterprises.map(\.status))),
            environment.filter("key_regulated", [("yes", environment.t("yes")), ("no", environment.t("no"))]),
        ]
    }
}
