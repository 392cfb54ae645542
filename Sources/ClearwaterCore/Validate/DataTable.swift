import Foundation

/// A CSV file checked against its dataset's columns: required ones present, none twice.
struct DataTable {
    /// Read in every dataset and never published: a row with a future `embargo` date stays
    /// out of the site until that day. The other names are the ones other tools use for it.
    static let embargoColumns = ["embargo", "embargo_until", "publish_date"]
    /// Columns named `private_…` are the bureau's own notes: never read, never published, not warned about.
    static func isPrivate(_ column: String) -> Bool { column.hasPrefix("private_") }

    let path: String
    let records: [CSVRecord]
    /// Per record: withheld because its embargo date is after the build day.
    private let embargoed: [Bool]
    private let columnIndex: [String: Int]

    init(_ table: CSVTable, columns: [DatasetColumn], today: Day, diagnostics: inout Diagnostics) {
        path = table.path
        records = table.records
        var index: [String: Int] = [:]
        let headerCells = table.header?.cells ?? []
        let known = columns.map(\.name) + Self.embargoColumns
        for (position, cell) in headerCells.enumerated() {
            let name = cell.text.trimmingSpaces
            if Self.isPrivate(name) { continue }
            if index[name] != nil {
                diagnostics.error("column '\(name)' appears twice in the header", at: SourceLocation(path: path, line: cell.line, column: cell.column))
            } else {
                index[name] = position
            }
            if !known.contains(name), let guess = Suggestion.closest(to: name, among: known), index[guess] == nil, !headerCells.contains(where: { $0.text == guess }) {
                diagnostics.warning("unknown column '\(name)' is ignored; did you mean '\(guess)'?", at: SourceLocation(path: path, line: cell.line, column: cell.column))
            }
        }
        if table.header == nil {
            diagnostics.error("the file is empty; it needs a header row naming its columns", at: SourceLocation(path: path, line: 1, column: 1))
        } else {
            for column in columns where column.required && index[column.name] == nil {
                diagnostics.error("required column '\(column.name)' is missing from the header", at: SourceLocation(path: path, line: table.header?.line ?? 1, column: 1))
            }
        }
        columnIndex = index
        // Most files have no embargo column: then no row is read twice.
        let embargoColumns = Self.embargoColumns.filter { index[$0] != nil }
        embargoed = embargoColumns.isEmpty ? Array(repeating: false, count: records.count) : records.map { record in
            let row = DataRow(record: record, path: table.path, columnIndex: index, isEmbargoed: false)
            return embargoColumns.compactMap { row.day($0, required: false, &diagnostics) }.contains { $0 > today }
        }
        for record in records where record.cells.count > headerCells.count && !headerCells.isEmpty {
            let extra = record.cells[headerCells.count]
            diagnostics.error("this row has \(record.cells.count) cells but the header names \(headerCells.count) columns", at: SourceLocation(path: path, line: extra.line, column: extra.column))
        }
    }

    var rows: [DataRow] {
        zip(records, embargoed).map { DataRow(record: $0, path: path, columnIndex: columnIndex, isEmbargoed: $1) }
    }
}

/// One column a dataset declares; only declared columns are ever read or published.
/// Its type, meaning and unit are published in `datapackage.json`, so they live here, once.
struct DatasetColumn: Sendable {
    /// Frictionless Table Schema field types.
    enum FieldType: String, Sendable {
        case string, integer, number, date, boolean

        /// Numbers and booleans are written bare in JSON, everything else as a string.
        var isJSONLiteral: Bool { self == .integer || self == .number || self == .boolean }
    }

    let name: String
    let required: Bool
    let type: FieldType
    let description: String
    /// Unit of a number column, when one unit applies to every row.
    var unit: String?
    /// The `vocabulary.yml` section whose keys the column holds.
    var vocabulary: String?

    static func required(_ name: String, _ type: FieldType, _ description: String, unit: String? = nil) -> DatasetColumn {
        DatasetColumn(name: name, required: true, type: type, description: description, unit: unit)
    }

    static func required(_ name: String, _ description: String, vocabulary: String? = nil) -> DatasetColumn {
        DatasetColumn(name: name, required: true, type: .string, description: description, vocabulary: vocabulary)
    }

    static func optional(_ name: String, _ type: FieldType, _ description: String, unit: String? = nil) -> DatasetColumn {
        DatasetColumn(name: name, required: false, type: type, description: description, unit: unit)
    }

    static func optional(_ name: String, _ description: String, vocabulary: String? = nil) -> DatasetColumn {
        DatasetColumn(name: name, required: false, type: .string, description: description, vocabulary: vocabulary)
    }
}

/// One data row with typed, located accessors. Each accessor reports its own problem and
/// returns `nil`, so a row with three bad cells yields three errors.
struct DataRow {
    let record: CSVRecord
    let path: String
    let columnIndex: [String: Int]
    /// Valid but not to be published before its `embargo` date; decoders check every cell first,
    /// so an embargoed row's mistakes are found before its day comes.
    let isEmbargoed: Bool

    var line: Int { record.line }

    func cell(_ column: String) -> CSVCell? {
        guard let position = columnIndex[column] else { return nil }
        if position < record.cells.count { return record.cells[position] }
        let last = record.cells.last
        return CSVCell(text: "", line: last?.line ?? record.line, column: (last?.column ?? 1) + (last?.text.unicodeScalars.count ?? 0))
    }

    func location(_ column: String) -> SourceLocation {
        let cell = cell(column)
        return SourceLocation(path: path, line: cell?.line ?? record.line, column: cell?.column ?? 0)
    }

    /// The trimmed text, `nil` when the cell is empty (the contract's "absent").
    func optional(_ column: String) -> String? {
        guard let text = cell(column)?.text.trimmingSpaces, !text.isEmpty else { return nil }
        return text
    }

    func required(_ column: String, _ diagnostics: inout Diagnostics) -> String? {
        guard columnIndex[column] != nil else { return nil }
        guard let text = optional(column) else {
            diagnostics.error("'\(column)' is required but the cell is empty", at: location(column))
            return nil
        }
        return text
    }

    func key(_ column: String, in codebook: Codebook, required: Bool, _ diagnostics: inout Diagnostics) -> String? {
        guard let text = required ? self.required(column, &diagnostics) : optional(column) else { return nil }
        guard codebook.contains(text) else {
            diagnostics.error("'\(text)' is not a key of '\(codebook.name)' in vocabulary.yml\(Suggestion.didYouMean(text, among: codebook.keys))", at: location(column))
            return nil
        }
        return text
    }

    func decimal(_ column: String, required: Bool, _ diagnostics: inout Diagnostics) -> Decimal? {
        guard let text = required ? self.required(column, &diagnostics) : optional(column) else { return nil }
        switch DecimalText.parse(text) {
        case let .success(value): return value
        case let .failure(problem):
            diagnostics.error("'\(column)' \(problem.message) (found '\(text)')", at: location(column))
            return nil
        }
    }

    func day(_ column: String, required: Bool, _ diagnostics: inout Diagnostics) -> Day? {
        guard let text = required ? self.required(column, &diagnostics) : optional(column) else { return nil }
        guard let day = Day(text) else {
            diagnostics.error("'\(column)' must be a real date written YYYY-MM-DD (found '\(text)')", at: location(column))
            return nil
        }
        return day
    }

    func year(_ column: String, _ diagnostics: inout Diagnostics) -> Int? {
        guard let text = required(column, &diagnostics) else { return nil }
        guard text.utf8.count == 4, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let year = Int(text), year >= 1900 else {
            diagnostics.error("'\(column)' must be a year of four digits, 1900 or later (found '\(text)')", at: location(column))
            return nil
        }
        return year
    }

    func bool(_ column: String, _ diagnostics: inout Diagnostics) -> Bool? {
        guard let text = optional(column) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            diagnostics.error("'\(column)' must be true or false (found '\(text)')", at: location(column))
            return nil
        }
    }

    func id(_ column: String, _ diagnostics: inout Diagnostics) -> String? {
        guard let text = required(column, &diagnostics) else { return nil }
        guard Identifier.isValid(text) else {
            diagnostics.error("'\(column)' must be lower-case letters, digits and '-', starting with a letter or digit (found '\(text)')", at: location(column))
            return nil
        }
        return text
    }

    /// `name_zh` and `name_en` as one text. A language without its column falls back to the
    /// `_zh` column, the one the contract makes required.
    func localized(_ stem: String, languages: [String]) -> Localized? {
        var values: [String: String] = [:]
        for language in languages {
            if let text = optional("\(stem)_\(language)") { values[language] = text }
        }
        if values.isEmpty { return nil }
        let base = values["zh"] ?? values.sorted { $0.key < $1.key }.first?.value ?? ""
        for language in languages where values[language] == nil { values[language] = base }
        return Localized(values)
    }
}

/// Ids appear in URLs, so they are kept to a safe alphabet.
enum Identifier {
    static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, isLowerAlphanumeric(first), text.utf8.count <= 100 else { return false }
        return text.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
