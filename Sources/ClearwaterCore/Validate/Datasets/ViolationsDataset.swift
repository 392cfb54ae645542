/// `violations.csv`: the blacklist and its history.
struct ViolationsDataset {
    static let fileName = "violations.csv"
    static let columns: [DatasetColumn] = [
        .required("id"), .required("enterprise_id"), .required("date"), .optional("decision_no"),
        .required("violation_zh"), .optional("violation_en"), .optional("penalty_zh"), .optional("penalty_en"),
        .optional("fine_yuan"), .optional("listed_until"), .optional("rectified_on"),
        .optional("response_zh"), .optional("response_en"),
    ]

    let languages: [String]
    let enterpriseIDs: Set<String>

    func decode(_ table: DataTable, diagnostics: inout Diagnostics) -> [Violation] {
        var violations: [Violation] = []
        var firstLine: [String: Int] = [:]
        for row in table.rows {
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
