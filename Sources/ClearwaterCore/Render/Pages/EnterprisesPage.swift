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

    /// The directory table for any set of enterprises, in name order; the district pages use it too.
    func table(_ enterprises: [Enterprise]) -> [String: Any] {
        let site = environment.site
        let vocabulary = site.vocabulary
        let latestYear = site.latestYear
        let ranks = site.nameRank[environment.language] ?? [:]
        let rows = enterprises
            .sorted { (ranks[$0.id] ?? 0, $0.id) < (ranks[$1.id] ?? 0, $1.id) }
            .map { enterprise -> [String: Any] in
                let latest = site.disclosures(of: enterprise.id).filter { $0.year == latestYear }
                let totals = EmissionTotals.byMedium(latest)
                return [
                    "name": environment.text(enterprise.name),
                    "nameRank": String(ranks[enterprise.id] ?? 0),
                    "search": (enterprise.name.texts(in: environment.languages) + [enterprise.creditCode ?? "", enterprise.id]).joined(separator: " ").lowercasedQuickly,
                    "href": environment.href(.enterprise(id: enterprise.id)),
                    "district": environment.label(vocabulary.districts, enterprise.district),
                    "districtKey": enterprise.district,
                    "districtHref": environment.href(.district(key: enterprise.district)),
                    "industry": environment.label(vocabulary.industries, enterprise.industry),
                    "industryKey": enterprise.industry,
                    "status": environment.label(vocabulary.statuses, enterprise.status),
                    "statusKey": enterprise.status,
                    "keyRegulated": environment.yesNo(enterprise.keyRegulated),
                    "keyRegulatedKey": enterprise.keyRegulated == true ? "yes" : "no",
                    "totals": vocabulary.media.keys.map { medium -> [String: Any] in
                        ["amount": totals[medium].map(NumberFormat.kilograms) ?? "–", "sort": totals[medium].map(NumberFormat.plain) ?? "-1"]
                    },
                ]
            }
        return [
            "rows": rows,
            "count": String(rows.count),
            "latestYear": latestYear.map(String.init) ?? "",
            "media": vocabulary.media.keys.map { ["label": environment.label(vocabulary.media, $0), "key": $0] },
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
