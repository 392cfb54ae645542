/// `violations.csv`: the blacklist and its history.
struct ViolationsDataset {
    static let fileName = "violations.csv"
    static let columns: [DatasetColumn] = [
        .required("id", "Id of the blacklist entry"),
        .required("enterprise_id", "Id of the enterprise in enterprises.csv"),
        .required("date", .date, "Date of the decision"),
        .optional("decision_no", "Number of the penalty decision"),
        .required("violation_zh", "What was violated, in Chinese"),
        .optional("violation_en", "What was violated, in English"),
        .optional("penalty_zh", "Penalty, in Chinese"),
        .optional("penalty_en", "Penalty, in English"),
        .optional("fine_yuan", .number, "Fine", unit: "CNY"),
        .optional("listed_until", .date, "Last day on the active blacklist"),
        .optional("rectified_on", .date, "Date the violation was corrected"),
        .optional("response_zh", "The enterprise's reply, in Chinese"),
        .optional("response_en", "The enterprise's reply, in English"),
    ]

    let languages: [String]
    /// `nil` when enterprises.csv could not be read: references are then not checked, rather
    /// than each reported as an error of its own.
    let enterpriseIDs: Set<String>?

    func decode(_ table: DataTable, diagnostics: inout Diagnostics) -> [Violation] {
        var violations: [Violation] = []
        var firstLine: [String: Int] = [:]
        var rows = table.rows()
        while let row = rows.next(&diagnostics) {
            let id = row.id("id", &diagnostics)
            let enterpriseID = row.reference("enterprise_id", to: enterpriseIDs, &diagnostics)
            let date = row.day("date", required: true, &diagnostics)
            let violationZh = row.required("violation_zh", &diagnostics)
            let fine = row.decimal("fine_yuan", required: false, &diagnostics)
            let listedUntil = row.day("listed_until", required: false, &diagnostics)
            let rectifiedOn = row.day("rectified_on", required: false, &diagnostics)
            if let date, let listedUntil, listedUntil < date {
                diagnostics.error("'listed_until' \(listedUntil) is before the decision date \(date)", at: row.location("listed_until"))
            }
            if let id {
                if let first = firstLine[id] {
                    diagnostics.error("violation id '\(id)' is used again (first on line \(first))", at: row.location("id"))
                    continue
                }
                firstLine[id] = row.line
            }
            guard let id, let enterpriseID, let date, let violationZh else { continue }
            if row.isEmbargoed { continue }
            violations.append(Violation(
                id: id, enterpriseID: enterpriseID, date: date, decisionNumber: row.optional("decision_no"),
                violation: row.localized("violation", languages: languages) ?? .same(violationZh, in: languages),
                penalty: row.localized("penalty", languages: languages), fineYuan: fine,
                listedUntil: listedUntil, rectifiedOn: rectifiedOn,
                response: row.localized("response", languages: languages)))
        }
        return violations
    }
}
