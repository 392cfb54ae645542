/// `disclosures.csv`: what each enterprise emitted, per year, pollutant and medium.
struct DisclosuresDataset {
    static let fileName = "disclosures.csv"
    static let columns: [DatasetColumn] = [
        .required("enterprise_id", "Id of the enterprise in enterprises.csv"),
        .required("year", .integer, "Reporting year"),
        .required("pollutant", "Pollutant code", vocabulary: "pollutants"),
        .required("medium", "Where it was discharged: air or wastewater", vocabulary: "media"),
        .required("amount", .number, "Amount discharged in the year, in the unit of the unit column"),
        .required("unit", "Unit of amount and limit: g, kg or t"),
        .optional("method", "Discharge method", vocabulary: "discharge_methods"),
        .optional("destination_zh", "Where the discharge goes, in Chinese"),
        .optional("destination_en", "Where the discharge goes, in English"),
        .optional("limit", .number, "Permitted amount for the year, in the unit of the unit column; above it is an exceedance"),
        .optional("basis", "How the figure was obtained: measured, calculated or estimated"),
        .optional("source", "Document the figure comes from"),
    ]

    let vocabulary: Vocabulary
    let languages: [String]
    /// `nil` when enterprises.csv could not be read: references are then not checked, rather
    /// than each reported as an error of its own.
    let enterpriseIDs: Set<String>?

    /// Half the file on each core: at province scale reading and checking half a million rows
    /// is most of `check`. A key disclosed in both halves is found when they are joined.
    func decode(_ table: DataTable, diagnostics: inout Diagnostics) -> [Disclosure] {
        let (first, second) = table.readInHalves { decode(&$0) }
        diagnostics.append(contentsOf: first.diagnostics)
        diagnostics.append(contentsOf: second.diagnostics)
        var disclosures = first.rows.compactMap(\.disclosure)
        for row in second.rows {
            if let line = first.firstLine[row.key] {
                diagnostics.error(Self.duplicate(row.key, firstLine: line), at: row.location)
            } else if let disclosure = row.disclosure {
                disclosures.append(disclosure)
            }
        }
        return disclosures
    }

    private struct Part: Sendable {
        /// Each valid, unrepeated row: its key, where it is, and its disclosure unless embargoed.
        var rows: [(key: Key, location: SourceLocation, disclosure: Disclosure?)] = []
        var firstLine: [Key: Int] = [:]
        var diagnostics = Diagnostics()
    }

    private func decode(_ rows: inout DataTable.Rows) -> Part {
        var diagnostics = Diagnostics()
        var part = Part()
        let expected = rows.linesLeft
        part.rows.reserveCapacity(expected)
        part.firstLine.reserveCapacity(expected)
        // A few destinations recur on thousands of rows: each is made once and shared, rather
        // than a dictionary per row.
        let destinationColumns = languages.map { "destination_\($0)" }
        var destinations: [[String?]: Localized?] = [:]
        while let row = rows.next(&diagnostics) {
            let enterpriseID = row.reference("enterprise_id", to: enterpriseIDs, &diagnostics)
            let year = row.year("year", &diagnostics)
            let pollutant = row.key("pollutant", in: vocabulary.pollutants, required: true, &diagnostics)
            let medium = row.key("medium", in: vocabulary.media, required: true, &diagnostics)
            let amount = row.decimal("amount", required: true, &diagnostics)
            let unit = row.oneOf("unit", MassUnit.self, required: true, &diagnostics)
            let method = row.key("method", in: vocabulary.dischargeMethods, required: false, &diagnostics)
            let limit = row.decimal("limit", required: false, &diagnostics)
            let basis = row.oneOf("basis", Basis.self, required: false, &diagnostics)
            guard let enterpriseID, let year, let pollutant, let medium, let amount, let unit else { continue }
            let key = Key(enterpriseID: enterpriseID, year: year, pollutant: pollutant, medium: medium)
            if let first = part.firstLine[key] {
                diagnostics.error(Self.duplicate(key, firstLine: first), at: row.location("enterprise_id"))
                continue
            }
            part.firstLine[key] = row.line
            let destinationTexts = destinationColumns.map { row.optional($0) }
            let destination = destinations[destinationTexts] ?? row.localized("destination", languages: languages)
            destinations[destinationTexts] = destination
            let disclosure = row.isEmbargoed ? nil : Disclosure(
                enterpriseID: enterpriseID, year: year, pollutant: pollutant, medium: medium,
                amount: Mass(amount, unit), method: method,
                destination: destination,
                limit: limit, basis: basis, source: row.optional("source"))
            part.rows.append((key, row.location("enterprise_id"), disclosure))
        }
        part.diagnostics = diagnostics
        return part
    }

    /// One row per enterprise, year, pollutant and medium.
    private struct Key: Hashable, Sendable {
        let enterpriseID: String
        let year: Int
        let pollutant: String
        let medium: String
    }

    private static func duplicate(_ key: Key, firstLine: Int) -> String {
        "\(key.enterpriseID) already disclosed \(key.pollutant) to \(key.medium) for \(key.year) (line \(firstLine)); one row per enterprise, year, pollutant and medium"
    }
}

extension DataRow {
    /// An id that must exist in another dataset, with a suggestion when it is close to one that does.
    func reference(_ column: String, to ids: Set<String>?, _ diagnostics: inout Diagnostics) -> String? {
        guard let text = required(column, &diagnostics) else { return nil }
        guard let ids else { return text }
        guard ids.contains(text) else {
            diagnostics.error("no enterprise has the id '\(text)' in enterprises.csv\(Suggestion.didYouMean(text, among: ids.sorted()))", at: location(column))
            return nil
        }
        return text
    }

    /// A value from a fixed list the contract defines.
    func oneOf<Value: RawRepresentable & CaseIterable>(_ column: String, _ type: Value.Type, required: Bool, _ diagnostics: inout Diagnostics) -> Value? where Value.RawValue == String {
        guard let text = required ? self.required(column, &diagnostics) : optional(column) else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue)
            diagnostics.error("'\(column)' must be one of \(allowed.joined(separator: ", ")) (found '\(text)')\(Suggestion.didYouMean(text, among: allowed))", at: location(column))
            return nil
        }
        return value
    }
}
