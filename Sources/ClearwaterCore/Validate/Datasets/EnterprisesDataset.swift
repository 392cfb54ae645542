/// `enterprises.csv`: the register every other dataset refers to.
struct EnterprisesDataset {
    static let fileName = "enterprises.csv"
    static let columns: [DatasetColumn] = [
        .required("id", "Stable id, used in page addresses"),
        .required("name_zh", "Registered name in Chinese"),
        .optional("name_en", "Name in English"),
        .optional("credit_code", "Unified social credit code (GB 32100-2015)"),
        .required("district", "District", vocabulary: "districts"),
        .required("industry", "Industry", vocabulary: "industries"),
        .required("status", "Operating status", vocabulary: "statuses"),
        .optional("status_since", .date, "Date the status took effect"),
        .optional("key_regulated", .boolean, "On the list of key-regulated enterprises"),
        .optional("address_zh", "Address in Chinese"),
        .optional("address_en", "Address in English"),
    ]

    let vocabulary: Vocabulary
    let languages: [String]

    /// The enterprises to publish, and the ids of those embargoed: valid references whose
    /// rows in other datasets stay out with them.
    func decode(_ table: DataTable, diagnostics: inout Diagnostics) -> (enterprises: [Enterprise], withheld: Set<String>) {
        var rows = table.rows()
        let expected = rows.linesLeft
        var enterprises: [Enterprise] = []
        enterprises.reserveCapacity(expected)
        var withheld: Set<String> = []
        var firstLine: [String: Int] = [:]
        firstLine.reserveCapacity(expected)
        while let row = rows.next(&diagnostics) {
            let id = row.id("id", &diagnostics)
            let nameZh = row.required("name_zh", &diagnostics)
            let district = row.key("district", in: vocabulary.districts, required: true, &diagnostics)
            let industry = row.key("industry", in: vocabulary.industries, required: true, &diagnostics)
            let status = row.key("status", in: vocabulary.statuses, required: true, &diagnostics)
            let statusSince = row.day("status_since", required: false, &diagnostics)
            let keyRegulated = row.bool("key_regulated", &diagnostics)
            let creditCode = row.optional("credit_code")
            if let creditCode, let problem = CreditCode.problem(in: creditCode) {
                diagnostics.error("'credit_code' \(creditCode): \(problem.message)", at: row.location("credit_code"))
            }
            if let id {
                if let first = firstLine[id] {
                    diagnostics.error("enterprise id '\(id)' is used again (first on line \(first))", at: row.location("id"))
                    continue
                }
                firstLine[id] = row.line
            }
            if row.isEmbargoed, let id = row.optional("id") { withheld.insert(id) }
            guard let id, let nameZh, let district, let industry, let status else { continue }
            if row.isEmbargoed { continue }
            enterprises.append(Enterprise(
                id: id, name: row.localized("name", languages: languages) ?? .same(nameZh, in: languages),
                creditCode: creditCode, district: district, industry: industry, status: status,
                statusSince: statusSince, keyRegulated: keyRegulated,
                address: row.localized("address", languages: languages)))
        }
        return (enterprises, withheld)
    }
}
