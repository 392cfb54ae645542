import Foundation

/// `/L/pollutants/`: the five metals with their latest disclosed totals.
struct PollutantsPage {
    let environment: PageEnvironment
    /// A metal's total in the latest year (`latestTotal(of:in:)`), the same in every language.
    let latestTotal: (String) -> Decimal

    func context() -> [String: Any] {
        let site = environment.site
        return [
            "latestYear": site.latestYear.map(String.init) ?? "",
            "pollutants": site.vocabulary.pollutants.keys.map { code -> [String: Any] in
                [
                    "code": code,
                    "label": environment.label(site.vocabulary.pollutants, code),
                    "href": environment.href(.pollutant(code: code)),
                    "totalKg": NumberFormat.kilograms(latestTotal(code)),
                ]
            },
        ]
    }

    /// Read in place: a copy of each metal's disclosures was most of this page.
    static func latestTotal(of code: String, in site: Site) -> Decimal {
        var latest = DecimalSum()
        site.disclosures(ofPollutant: code).forEachInPlace { disclosure in
            if disclosure.pointee.year == site.latestYear { latest.add(disclosure.pointee.amount.kilograms) }
        }
        return latest.total
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
