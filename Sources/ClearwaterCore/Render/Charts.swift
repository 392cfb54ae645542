import Foundation

/// The charts the pages show, each with its summary in the page's language. The numbers are
/// the ones the tables beside them print, from the same model.
struct Charts {
    let environment: PageEnvironment

    private var vocabulary: Vocabulary { environment.site.vocabulary }

    /// One enterprise: kilograms per pollutant (all media) for each year, oldest first.
    func perPollutantByYear(_ disclosures: [Disclosure], id: String) -> BarChart {
        let pollutants = vocabulary.pollutants.keys.filter { code in disclosures.contains { $0.pollutant == code } }
        let groups = EmissionTotals.byYear(disclosures, per: .pollutant).reversed().map { year in
            BarChart.Group(label: String(year.year), values: pollutants.map { year.byKey[$0] })
        }
        let labels = pollutants.map { environment.label(vocabulary.pollutants, $0) }
        let trends = pollutants.indices.map { index in trend(labels[index], groups.map { ($0.label, $0.values[index]) }) }
        return BarChart(id: id, title: environment.t("chart_enterprise_title"), series: labels, groups: groups,
                        axisLabel: environment.t("chart_axis_kg"), summary: trends.compactMap { $0 }.joined(separator: environment.t("list_separator")))
    }

    /// One pollutant: kilograms per medium for each year, oldest first.
    func perMediumByYear(_ figures: PollutantFigures, id: String) -> BarChart {
        let media = vocabulary.media.keys.filter(figures.media.contains)
        let groups = figures.yearly.reversed().map { year in
            BarChart.Group(label: String(year.year), values: media.map { year.byKey[$0] })
        }
        let labels = media.map { environment.label(vocabulary.media, $0) }
        let trends = media.indices.map { index in trend(labels[index], groups.map { ($0.label, $0.values[index]) }) }
        return BarChart(id: id, title: environment.t("chart_pollutant_title"), series: labels, groups: groups,
                        axisLabel: environment.t("chart_axis_kg"), summary: trends.compactMap { $0 }.joined(separator: environment.t("list_separator")))
    }

    /// The largest emitters of one pollutant in its latest year, all media together.
    func topEmitters(_ figures: PollutantFigures, id: String, count: Int = 10) -> BarChart {
        let latest = figures.years.first
        let totals = figures.emitters.compactMap { emitter in emitter.kilograms.first.flatMap { $0 }.map { (key: emitter.id, value: $0) } }
        let all = figures.yearly.first?.total ?? 0
        let top = Self.largest(count, of: totals)
        let groups = top.map { BarChart.Group(label: environment.enterpriseName($0.key), values: [$0.value]) }
        let share = top.first.map { all > 0 ? NumberFormat.percent($0.value / all) : "–" } ?? "–"
        let summary = top.first.map { first in
            environment.t("chart_top_summary", filling: ["year": latest.map(String.init) ?? "", "name": environment.enterpriseName(first.key),
                                                "amount": NumberFormat.kilograms(first.value), "share": share, "count": String(totals.count)])
        } ?? ""
        let title = environment.t("chart_top_title", filling: ["year": latest.map(String.init) ?? ""])
        return BarChart(id: id, title: title, series: [environment.t("total")], groups: groups, axisLabel: environment.t("chart_axis_kg"), summary: summary)
    }

    /// The `count` largest, then by id, as sorting them all would order them: a pollutant has
    /// ten thousand emitters at province scale, and the chart shows ten.
    static func largest(_ count: Int, of totals: [(key: String, value: Decimal)]) -> [(key: String, value: Decimal)] {
        func precedes(_ a: (key: String, value: Decimal), _ b: (key: String, value: Decimal)) -> Bool {
            let order = DecimalParts.compare(a.value, b.value)
            return order == .orderedDescending || order == .orderedSame && a.key < b.key
        }
        guard count > 0 else { return [] }
        var top: [(key: String, value: Decimal)] = []
        for total in totals where top.count < count || precedes(total, top[top.count - 1]) {
            top.insert(total, at: top.firstIndex { precedes(total, $0) } ?? top.count)
            if top.count > count { top.removeLast() }
        }
        return top
    }

    /// The plan: baseline, latest actual and target for each line of the progress table.
    func targets(_ lines: [(label: String, line: TargetProgress.Line)], progress: TargetProgress, id: String, title: String) -> BarChart {
        let years = [progress.baselineYear, progress.actualYear, progress.targetYear].map { $0.map(String.init) ?? "" }
        let series = zip(years, [environment.t("baseline"), environment.t("actual"), environment.t("target")]).map { "\($0) \($1)" }
        let groups = lines.map { BarChart.Group(label: $0.label, values: [$0.line.baseline, $0.line.actual, $0.line.target]) }
        let summary = lines.compactMap { label, line -> String? in
            guard let achieved = line.achievedReduction, let required = line.requiredReduction else { return nil }
            return environment.t("chart_target_summary", filling: ["line": label, "achieved": NumberFormat.percent(achieved), "required": NumberFormat.percent(required)])
        }.joined(separator: environment.t("list_separator"))
        return BarChart(id: id, title: title, series: series, groups: groups, axisLabel: environment.t("chart_axis_kg"), summary: summary)
    }

    /// "Lead: 120.00 kg in 2018, 98.50 kg in 2020 (−17.9%)", from the first and last values present.
    private func trend(_ label: String, _ points: [(String, Decimal?)]) -> String? {
        let present = points.compactMap { year, value in value.map { (year, $0) } }
        guard let first = present.first, let last = present.last else { return nil }
        let change = present.count > 1 && first.1 > 0 ? NumberFormat.percentChange(from: first.1, to: last.1) : ""
        return environment.t(present.count > 1 ? "chart_trend" : "chart_single", filling: [
            "series": label, "first": first.0, "from": NumberFormat.kilograms(first.1), "last": last.0, "to": NumberFormat.kilograms(last.1), "change": change,
        ])
    }
}
