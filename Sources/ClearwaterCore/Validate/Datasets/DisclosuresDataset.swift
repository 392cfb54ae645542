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
    ///
    /// With the rows a previous build decoded, only the rows between the file's unchanged start
    /// and end are decoded; the result is what decoding every row gives, or the whole file is
    /// decoded after all. `reusable`: whether a next build may reuse the rows, which it may
    /// unless the file has a problem to report.
    func decode(_ table: DataTable, reusing previous: consuming DecodedDisclosures.Previous?, diagnostics: inout Diagnostics) -> (decoded: DecodedDisclosures, reusable: Bool) {
        if let previous = consume previous, let decoded = decodeChanges(table, since: previous) {
            return (decoded, true)
        }
        var (first, second) = table.readInHalves { decode(&$0) }
        var found = first.diagnostics
        found.append(contentsOf: second.diagnostics)
        // The first half's rows are taken, not copied, and the second's appended behind them:
        // joining half a million rows one by one was a quarter of a second with a core idle.
        var decoded = DecodedDisclosures()
        swap(&decoded, &first.decoded)
        var repeated = Set<Int>()
        for (row, key) in second.keyRows.keys.enumerated() {
            guard let firstRow = first.keyRows.existingNumber(of: key, hashValue: second.keyRows.hashValues[row]) else { continue }
            found.error(Self.duplicate(key, firstLine: first.lines[firstRow]), at: second.locations[row])
            repeated.insert(row)
        }
        decoded.append(contentsOf: second.decoded, droppingRows: repeated)
        diagnostics.append(contentsOf: found)
        return (decoded, found.all.isEmpty)
    }

    /// The rows of `table`, where the previous build decoded all but a few: those wholly inside
    /// the bytes the two files share at their start are kept, and so are those after the first
    /// record boundary the new rows reach inside the bytes they share at their end. `nil` when
    /// the rows between have anything to report, or repeat a kept row's key: the whole file is
    /// then decoded, for the same diagnostics a first build gives.
    func decodeChanges(_ table: DataTable, since previous: consuming DecodedDisclosures.Previous) -> DecodedDisclosures? {
        let (size, commonPrefix, commonSuffix, isCurrent) = (previous.size, previous.commonPrefix, previous.commonSuffix, previous.isCurrent)
        // Taken, not copied, so that the rows that changed are replaced in place.
        var decoded = (consume previous).decoded
        // A row is kept at the start when the byte after it is also shared: a lone CR ends a
        // line only when no LF follows it.
        let keptBefore = decoded.rowsEnding(before: commonPrefix)
        let shift = table.bytes.count - size
        var rows = table.rows(from: keptBefore > 0 ? decoded.ends[keptBefore - 1] : table.body)
        var fresh = DecodedDisclosures()
        var diagnostics = Diagnostics()
        var decoder = RowDecoder(dataset: self)
        var changedKeys = Set<Key>()
        // The first of the previous rows that are kept at the end: none until one is reached.
        var keptAfter = decoded.rowCount, lineShift = 0
        while let row = rows.next(&diagnostics) {
            guard let (key, disclosure) = decoder.decode(row, &diagnostics), changedKeys.insert(key).inserted else { return nil }
            let end = rows.end
            fresh.append(end: end, key: key, disclosure: disclosure)
            if end.offset >= table.bytes.count - commonSuffix, let last = decoded.row(endingAt: end.offset - shift) {
                (keptAfter, lineShift) = (last + 1, end.line - decoded.ends[last].line)
                break
            }
        }
        guard diagnostics.all.isEmpty, !decoded.repeatsAny(of: changedKeys, outside: keptBefore..<keptAfter) else { return nil }
        decoded.replaceRows(keptBefore..<keptAfter, with: fresh, shift: shift, lineShift: lineShift)
        // The same text: the last row, decoded again whatever changed, is as it was.
        if isCurrent { decoded.changes = RowChanges() }
        return decoded
    }

    private struct Part: Sendable {
        /// The valid, unrepeated rows, each with its disclosure unless embargoed.
        var decoded = DecodedDisclosures()
        /// Each of those rows' key, numbered by row, its line and where its enterprise id is, for
        /// a later part's rows to be checked against.
        var keyRows = GroupNumbers<Key>()
        var lines: [Int] = []
        var locations: [SourceLocation] = []
        var diagnostics = Diagnostics()
    }

    private func decode(_ rows: inout DataTable.Rows) -> Part {
        var diagnostics = Diagnostics()
        var part = Part()
        let expected = rows.linesLeft
        // Room for the later parts' rows too: the join appends them to the first part's, which
        // would otherwise be copied into a buffer twice its size while both halves are held.
        part.decoded.reserveCapacity(expected + rows.linesPastEnd)
        part.keyRows.reserveCapacity(expected)
        part.lines.reserveCapacity(expected)
        part.locations.reserveCapacity(expected)
        var decoder = RowDecoder(dataset: self)
        while let row = rows.next(&diagnostics) {
            guard let (key, disclosure) = decoder.decode(row, &diagnostics) else { continue }
            let (isNew, first) = part.keyRows.insert(key)
            if !isNew {
                diagnostics.error(Self.duplicate(key, firstLine: part.lines[first]), at: row.location("enterprise_id"))
                continue
            }
            part.lines.append(row.line)
            part.locations.append(row.location("enterprise_id"))
            part.decoded.append(end: rows.end, key: key, disclosure: disclosure)
        }
        part.diagnostics = diagnostics
        return part
    }

    /// Checks one row's cells; each problem is reported and the row then has no key.
    private struct RowDecoder {
        let dataset: DisclosuresDataset
        let destinationColumns: [String]
        /// A few destinations recur on thousands of rows: each is made once and shared, rather
        /// than a dictionary per row.
        var destinations: [[String?]: Localized?] = [:]
        /// Sources, each kept once and shared by its rows: a report's name recurs on every row
        /// it gave, and a text longer than fifteen bytes is not stored inline.
        var sources: Set<String> = []
        /// The previous row's enterprise id (as typed, and as found among the enterprises') and
        /// source, and the last few destinations: an enterprise's rows mostly stand together and
        /// share them (its air and water rows take turns), and hashing the same texts again for
        /// every row was a third of the time spent on its cells.
        var previousEnterprise: (text: String, id: String)?
        var recentDestinations: [(texts: [String?], destination: Localized?)] = []
        var previousSource: String?

        init(dataset: DisclosuresDataset) {
            self.dataset = dataset
            destinationColumns = dataset.languages.map { "destination_\($0)" }
        }

        /// The row's key, and its disclosure unless it is embargoed.
        mutating func decode(_ row: DataRow, _ diagnostics: inout Diagnostics) -> (Key, Disclosure?)? {
            let vocabulary = dataset.vocabulary
            let enterpriseID = enterprise(of: row, &diagnostics)
            let year = row.year("year", &diagnostics)
            let pollutant = row.key("pollutant", in: vocabulary.pollutants, required: true, &diagnostics)
            let medium = row.key("medium", in: vocabulary.media, required: true, &diagnostics)
            let amount = row.decimal("amount", required: true, &diagnostics)
            let unit = row.oneOf("unit", MassUnit.self, required: true, &diagnostics)
            let method = row.key("method", in: vocabulary.dischargeMethods, required: false, &diagnostics)
            let limit = row.decimal("limit", required: false, &diagnostics)
            let basis = row.oneOf("basis", Basis.self, required: false, &diagnostics)
            guard let enterpriseID, let year, let pollutant, let medium, let amount, let unit else { return nil }
            let key = Key(enterpriseID: enterpriseID, year: year, pollutant: pollutant, medium: medium)
            let disclosure = row.isEmbargoed ? nil : Disclosure(
                enterpriseID: enterpriseID, year: year, pollutant: pollutant, medium: medium,
                amount: Mass(amount, unit), method: method,
                destination: destination(of: row),
                limit: limit, basis: basis, source: row.optional("source").map { source($0) })
            return (key, disclosure)
        }

        /// The row's enterprise id, as `DataRow.reference` finds it; a text that was not found
        /// is looked up again, so every row that names a missing enterprise is reported.
        private mutating func enterprise(of row: DataRow, _ diagnostics: inout Diagnostics) -> String? {
            if let text = row.optional("enterprise_id"), let previous = previousEnterprise, previous.text == text { return previous.id }
            let id = row.reference("enterprise_id", to: dataset.enterpriseIDs, &diagnostics)
            if let id, let text = row.optional("enterprise_id") { previousEnterprise = (text, id) }
            return id
        }

        private mutating func destination(of row: DataRow) -> Localized? {
            let texts = destinationColumns.map { row.optional($0) }
            if let recent = recentDestinations.first(where: { $0.texts == texts }) { return recent.destination }
            let destination = destinations[texts] ?? {
                let made = row.localized("destination", languages: dataset.languages)
                destinations[texts] = made
                return made
            }()
            if recentDestinations.count == 4 { recentDestinations.removeLast() }
            recentDestinations.insert((texts, destination), at: 0)
            return destination
        }

        private mutating func source(_ text: String) -> String {
            if let previous = previousSource, previous == text { return previous }
            let source = sources.insert(text).memberAfterInsert
            previousSource = source
            return source
        }
    }

    /// One row per enterprise, year, pollutant and medium.
    struct Key: Hashable, Sendable {
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
    /// The id is the set's own string, so an enterprise's rows all share one, rather than each
    /// holding a copy: an id longer than fifteen bytes is not stored inline.
    func reference(_ column: String, to ids: Set<String>?, _ diagnostics: inout Diagnostics) -> String? {
        guard let text = required(column, &diagnostics) else { return nil }
        guard let ids else { return text }
        guard let index = ids.firstIndex(of: text) else {
            diagnostics.error("no enterprise has the id '\(text)' in enterprises.csv\(Suggestion.didYouMean(text, among: ids.sorted()))", at: location(column))
            return nil
        }
        return ids[index]
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
