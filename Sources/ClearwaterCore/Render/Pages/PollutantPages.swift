import Foundation

/// `/L/pollutants/`: the five metals with their latest disclosed totals.
struct PollutantsPage {
    let environment: PageEnvironment
    /// Each metal's total in the latest year (`latestTotals(in:)`), the same in every language.
    let latestTotals: [String: Decimal]

    func context() -> [String: Any] {
        let site = environment.site
        return [
            "latestYear": site.latestYear.map(String.init) ?? "",
            "pollutants": site.vocabulary.pollutants.keys.map { code -> [String: Any] in
                [
                    "code": code,
                    "label": environment.label(site.vocabulary.pollutants, code),
                    "href": environment.href(.pollutant(code: code)),
                    "totalKg": NumberFormat.kilograms(latestTotals[code] ?? 0),
                ]
            },
        ]
    }

    /// Every metal's total in one pass over the latest year's rows alone: an enterprise's rows
    /// come newest year first, so its latest year's lead its run. A pass per metal over all of
    /// its rows read five times as many. Read in place: a copy of each metal's disclosures was
    /// once most of this page.
    static func latestTotals(in site: Site) -> [String: Decimal] {
        guard let latestYear = site.latestYear else { return [:] }
        // A handful of metals, searched in turn: cheaper than hashing each row's code.
        var sums: [(code: String, sum: DecimalSum)] = []
        site.disclosures.forEachLeading(in: site.disclosureRuns.lazy.map(\.range)) { disclosure in
            guard disclosure.pointee.year == latestYear else { return false }
            let code = disclosure.pointee.pollutant
            let slot = sums.firstIndex { $0.code == code } ?? {
                sums.append((code, DecimalSum()))
                return sums.count - 1
            }()
            sums[slot].sum.add(disclosure.pointee.amount.kilograms)
            return true
        }
        return Dictionary(sums.map { ($0.code, $0.sum.total) }, uniquingKeysWith: { first, _ in first })
    }
}

/// `/L/pollutants/CODE/`: one metal across years, media and enterprises, next to the plan's figures.
struct PollutantPage {
    let environment: PageEnvironment
    let code: String
    let figures: PollutantFigures

    func context() -> [String: Any] {
        let site = environment.site
        let vocabulary = site.vocabulary
        let yearly = YearlyTotals(environment: environment).rows(figures.yearly)
        let about = site.page("pollutants/" + code)?.version(for: environment.language, languages: environment.languages)
        let progress = TargetProgress(targets: site.targets.filter { $0.pollutant == code }, vocabulary: vocabulary)
        let planRows = progress.mediumTotals.map { line -> [String: Any] in
            [
                "medium": environment.label(vocabulary.media, line.medium),
                "baseline": line.baseline.map(NumberFormat.kilograms) ?? "–",
                "actual": line.actual.map(NumberFormat.kilograms) ?? "–",
                "target": line.target.map(NumberFormat.kilograms) ?? "–",
                "required": line.requiredReduction.map(NumberFormat.percent) ?? "–",
            ]
        }
        return [
            "label": environment.label(vocabulary.pollutants, code),
            "code": code,
            "media": vocabulary.media.keys.map { ["label": environment.label(vocabulary.media, $0)] },
            "yearly": yearly,
            "hasDisclosures": !figures.years.isEmpty,
            "emitters": PollutantEmitters(environment: environment).table(figures),
            "yearChart": Charts(environment: environment).perMediumByYear(figures, id: "chart-by-year").context(),
            "topChart": Charts(environment: environment).topEmitters(figures, id: "chart-top").context(),
            "about": about.map { LinkRewriter(basePath: site.settings.baseURL.path).rewrite($0.version.html) } ?? "",
            "aboutLang": about.map { PageEnvironment.htmlLanguage($0.version.language) } ?? "",
            "hasPlan": !progress.isEmpty,
            "planRows": planRows,
            "baselineYear": progress.baselineYear.map(String.init) ?? "",
            "actualYear": progress.actualYear.map(String.init) ?? "",
            "targetYear": progress.targetYear.map(String.init) ?? "",
            "targetsHref": environment.href(.targets),
        ]
    }
}
