/// `facilities.csv`: pollution-control facilities and whether they run.
struct FacilitiesDataset {
    static let fileName = "facilities.csv"
    static let columns: [DatasetColumn] = [
        .required("enterprise_id", "Id of the enterprise in enterprises.csv"),
        .required("id", "Id of the facility, unique within its enterprise"),
        .required("name_zh", "Name in Chinese"),
        .optional("name_en", "Name in English"),
        .required("status", "Operating status of the facility", vocabulary: "facility_statuses"),
        .optional("since", .date, "Date the status took effect"),
    ]

    let vocabulary: Vocabulary
    let languages: [String]
    /// `nil` when enterprises.csv could not be read: references are then not checked, rather
    /// than each reported as an error of its own.
    let enterpriseIDs: Set<String>?

    func decode(_ table: DataTable, diagnostics: inout Diagnostics) -> [Facility] {
        var rows = table.rows()
        let expected = rows.linesLeft
        var facilities: [Facility] = []
        facilities.reserveCapacity(expected)
        // Keyed by the two ids as they are, not joined into a text per row; room made at once:
        // grown row by row, a province's twenty thousand facilities were rehashed many times.
        var firstLine: [FacilityKey: Int] = [:]
        firstLine.reserveCapacity(expected)
        while let row = rows.next(&diagnostics) {
            let enterpriseID = row.reference("enterprise_id", to: enterpriseIDs, &diagnostics)
            let id = row.id("id", &diagnostics)
            let nameZh = row.required("name_zh", &diagnostics)
            let status = row.key("status", in: vocabulary.facilityStatuses, required: true, &diagnostics)
            let since = row.day("since", required: false, &diagnostics)
            guard let enterpriseID, let id, let nameZh, let status else { continue }
            let key = FacilityKey(enterpriseID: enterpriseID, id: id)
            if let first = firstLine[key] {
                diagnostics.error("facility id '\(id)' is used twice for \(enterpriseID) (first on line \(first))", at: row.location("id"))
                continue
            }
            firstLine[key] = row.line
            if row.isEmbargoed { continue }
            facilities.append(Facility(
                enterpriseID: enterpriseID, id: id,
                name: row.localized("name", languages: languages) ?? .same(nameZh, in: languages),
                status: status, since: since))
        }
        return facilities
    }

    /// A facility's id is unique within its enterprise.
    private struct FacilityKey: Hashable {
        let enterpriseID: String
        let id: String
    }
}
