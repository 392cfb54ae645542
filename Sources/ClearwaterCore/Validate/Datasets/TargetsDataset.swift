/// `targets.csv`: the plan's city-wide baseline, actual and target totals.
struct TargetsDataset {
    static let fileName = "targets.csv"
    static let columns: [DatasetColumn] = [
        .required("pollutant", "Pollutant code", vocabulary: "pollutants"),
        .required("medium", "Air or wastewater", vocabulary: "media"),
        .required("year", .integer, "Year the figure refers to"),
        .required("kind", "baseline, actual or target"),
        .required("amount_kg", .number, "City-wide total for the year", unit: "kg"),
    ]

    let vocabulary: Vocabulary

    func decode(_ table: DataTable, diagnostics: inout Diagnostics) -> [Target] {
        var targets: [Target] = []
        var firstLine: [String: Int] = [:]
        var rows = table.rows()
        while let row = rows.next(&diagnostics) {
            let pollutant = row.key("pollutant", in: vocabulary.pollutants, required: true, &diagnostics)
            let medium = row.key("medium", in: vocabulary.media, required: true, &diagnostics)
            let year = row.year("year", &diagnostics)
            let kind = row.oneOf("kind", TargetKind.self, required: true, &diagnostics)
            let amount = row.decimal("amount_kg", required: true, &diagnostics)
            guard let pollutant, let medium, let year, let kind, let amount else { continue }
            let key = "\(pollutant)|\(medium)|\(year)|\(kind.rawValue)"
            if let first = firstLine[key] {
                diagnostics.error("\(kind.rawValue) for \(pollutant) in \(medium), \(year) is given twice (first on line \(first))", at: row.location("pollutant"))
                continue
            }
            firstLine[key] = row.line
            if row.isEmbargoed { continue }
            targets.append(Target(pollutant: pollutant, medium: medium, year: year, kind: kind, kilograms: amount))
        }
        return targets
    }
}
