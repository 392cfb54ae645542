import Foundation

/// `/L/targets/`: the plan's baseline, latest actual and target totals, with the cuts achieved and required.
struct TargetsPage {
    let environment: PageEnvironment

    func context() -> [String: Any] {
        let site = environment.site
        let progress = TargetProgress(targets: site.targets, vocabulary: site.vocabulary)
        var rows: [[String: Any]] = []
        for medium in progress.mediumTotals {
            for line in progress.lines where line.medium == medium.medium {
                rows.append(row(line, label: environment.label(site.vocabulary.pollutants, line.pollutant), medium: medium.medium, isTotal: false))
            }
            rows.append(row(medium, label: environment.t("subtotal"), medium: medium.medium, isTotal: true))
        }
        rows.append(row(progress.total, label: environment.t("total_all_media"), medium: nil, isTotal: true))
        let vocabulary = site.vocabulary
        let charts = Charts(environment: environment)
        let cityLines = progress.mediumTotals.map { (environment.label(vocabulary.media, $0.medium), $0) } + [(environment.t("total_all_media"), progress.total)]
        let pollutantLines = progress.lines.map { line in
            ("\(environment.label(vocabulary.pollutants, line.pollutant)) · \(environment.label(vocabulary.media, line.medium))", line)
        }
        return [
            "cityChart": charts.targets(cityLines, progress: progress, id: "chart-city", title: environment.t("chart_city_title")).context(),
            "linesChart": charts.targets(pollutantLines, progress: progress, id: "chart-lines", title: environment.t("chart_lines_title")).context(),
            "hasTargets": !progress.isEmpty,
            "headline": headline(progress),
            "rows": rows,
            "baselineYear": progress.baselineYear.map(String.init) ?? "",
            "actualYear": progress.actualYear.map(String.init) ?? "",
            "targetYear": progress.targetYear.map(String.init) ?? "",
            "csvHref": environment.href(sitePath: "data/targets.csv"),
        ]
    }

    /// The figures a reader looks for first; the home page shows them too.
    func headline(_ progress: TargetProgress) -> [String: Any] {
        let media = progress.mediumTotals.map { line -> [String: Any] in
            [
                "medium": environment.label(environment.site.vocabulary.media, line.medium),
                "actual": line.actual.map(NumberFormat.kilograms) ?? "–",
            ]
        }
        return [
            "actualYear": progress.actualYear.map(String.init) ?? "",
            "baselineYear": progress.baselineYear.map(String.init) ?? "",
            "targetYear": progress.targetYear.map(String.init) ?? "",
            "media": media,
            "baselineTotal": progress.total.baseline.map(NumberFormat.kilograms) ?? "–",
            "actualTotal": progress.total.actual.map(NumberFormat.kilograms) ?? "–",
            "targetTotal": progress.total.target.map(NumberFormat.kilograms) ?? "–",
            "required": progress.total.requiredReduction.map(NumberFormat.percent) ?? "–",
            "achieved": progress.total.achievedReduction.map(NumberFormat.percent) ?? "–",
            "achievedBar": bar(progress.total.achievedReduction),
            "requiredBar": bar(progress.total.requiredReduction),
        ]
    }

    private func row(_ line: TargetProgress.Line, label: String, medium: String?, isTotal: Bool) -> [String: Any] {
        [
            "label": label,
            "medium": environment.label(environment.site.vocabulary.media, medium),
            "isTotal": isTotal,
            "baseline": line.baseline.map(NumberFormat.kilograms) ?? "–",
            "actual": line.actual.map(NumberFormat.kilograms) ?? "–",
            "target": line.target.map(NumberFormat.kilograms) ?? "–",
            "achieved": line.achievedReduction.map(NumberFormat.percent) ?? "–",
            "required": line.requiredReduction.map(NumberFormat.percent) ?? "–",
        ]
    }

    /// A width for the progress bar, clamped to 0–100 and rounded to whole percent.
    private func bar(_ fraction: Decimal?) -> String {
        guard let fraction else { return "0" }
        let percent = NumberFormat.rounded(fraction * 100, places: 0)
        return NumberFormat.grouped(min(max(percent, 0), 100))
    }
}
