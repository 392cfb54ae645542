import Foundation

/// A CSV file checked against its dataset's columns: required ones present, none twice.
/// Its rows are read one at a time (`Rows`), and a large file in two halves at once.
struct DataTable: Sendable {
    /// Read in every dataset and never published: a row with a future `embargo` date stays
    /// out of the site until that day. The other names are the ones other tools use for it.
    static let embargoColumns = ["embargo", "embargo_until", "publish_date"]
    /// Columns named `private_…` are the bureau's own notes: never read, never published, not warned about.
    static func isPrivate(_ column: String) -> Bool { column.hasPrefix("private_") }

    let path: String
    /// The file's text, after any conversion to UTF-8.
    let text: TextBytes
    var bytes: UnsafeBufferPointer<UInt8> { text.bytes }
    /// Where the first record after the header starts.
    let body: Position
    private let headerCount: Int
    private let columnIndex: ColumnIndex
    /// The embargo columns the header has; most files have none, and then no row is read twice.
    private let embargoColumns: [String]
    private let today: Day

    /// A record boundary: a byte offset and the line it is on.
    struct Position: Equatable, Sendable {
        let offset: Int
        let line: Int
    }

    /// Reads the header; the rows are read by whoever walks `rows()`.
    init(utf8 bytes: [UInt8], path: String, columns: [DatasetColumn], today: Day, diagnostics: inout Diagnostics) {
        self.init(text: TextBytes(copying: bytes), path: path, columns: columns, today: today, diagnostics: &diagnostics)
    }

    init(text: TextBytes, path: String, columns: [DatasetColumn], today: Day, diagnostics: inout Diagnostics) {
        self.path = path
        self.text = text
        self.today = today
        var reader = CSVReader(text: text, path: path)
        let header = reader.next(&diagnostics)
        body = Position(offset: reader.offset, line: reader.line)
        var index: [String: Int] = [:]
        let headerCells = header?.cells ?? []
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
        if header == nil {
            diagnostics.error("the file is empty; it needs a header row naming its columns", at: SourceLocation(path: path, line: 1, column: 1))
        } else {
            for column in columns where column.required && index[column.name] == nil {
                diagnostics.error("required column '\(column.name)' is missing from the header", at: SourceLocation(path: path, line: header?.line ?? 1, column: 1))
            }
        }
        headerCount = headerCells.count
        columnIndex = ColumnIndex(index, order: known)
        embargoColumns = Self.embargoColumns.filter { index[$0] != nil }
    }

    /// Every row after the header, in order.
    func rows() -> Rows { rows(from: body) }

    func rows(from start: Position, to end: Int? = nil) -> Rows {
        Rows(table: self, reader: CSVReader(text: text, path: path, from: start.offset, line: start.line, to: end))
    }

    /// The rows read in two halves at once, each by `read`, for two cores.
    ///
    /// The second half starts at the first line break past the middle that an even number of
    /// quotes precedes: a record boundary, unless a stray quote misleads the count. Where the
    /// first half's reader really stopped shows it, and then the rest is read again from there.
    func readInHalves<Part: Sendable>(_ read: @escaping @Sendable (inout Rows) -> Part) -> (Part, Part) {
        let split = middleRecordBoundary()
        let ((first, end), second) = Parallel.both({
            var rows = rows(from: body, to: split.offset)
            return (read(&rows), rows.end)
        }, {
            var rows = rows(from: split)
            return read(&rows)
        })
        if end == split { return (first, second) }
        var rest = rows(from: end)
        return (first, read(&rest))
    }

    private func middleRecordBoundary() -> Position {
        let middle = body.offset + (bytes.count - body.offset) / 2
        let buffer = bytes
        var quotes = 0, lineBreaks = 0, index = body.offset
        while index < buffer.count {
            let byte = buffer[index]
            index += 1
            if byte == UInt8(ascii: "\"") { quotes += 1 }
            if byte == 0x0D, index < buffer.count, buffer[index] == 0x0A { continue }
            guard byte == 0x0A || byte == 0x0D else { continue }
            lineBreaks += 1
            if index >= middle, quotes % 2 == 0 { break }
        }
        return Position(offset: index, line: body.line + lineBreaks)
    }

    /// Rows read one at a time, each checked for cells beyond the header and for its embargo.
    struct Rows: Sendable {
        let table: DataTable
        var reader: CSVReader

        /// At least the rows left (see `CSVReader.linesLeft`).
        var linesLeft: Int { reader.linesLeft }

        /// With `linesLeft`, at least the rows left to the end of the table, past where this reader stops.
        var linesPastEnd: Int { reader.linesPastEnd }

        /// Where the next row would start.
        var end: Position { Position(offset: reader.offset, line: reader.line) }

        mutating func next(_ diagnostics: inout Diagnostics) -> DataRow? {
            guard let record = reader.next(&diagnostics) else { return nil }
            if record.cells.count > table.headerCount, table.headerCount > 0 {
                let extra = record.cells[table.headerCount]
                diagnostics.error("this row has \(record.cells.count) cells but the header names \(table.headerCount) columns", at: SourceLocation(path: table.path, line: extra.line, column: extra.column))
            }
            var row = DataRow(record: record, path: table.path, columnIndex: table.columnIndex, isEmbargoed: false)
            if !table.embargoColumns.isEmpty {
                row.isEmbargoed = table.embargoColumns.compactMap { row.day($0, required: false, &diagnostics) }.contains { $0 > table.today }
            }
            return row
        }
    }
}

/// Where each column of a dataset sits in its file. A list searched in order rather than a
/// dictionary: a dataset has a dozen columns, and every cell of every row is found through it.
/// In the order the dataset declares its columns, which is how its decoder asks for them: in a
/// dictionary's order, a row's lookups compared a hundred column names, a tenth of decoding the
/// disclosures; in the file's, as many again for a file whose columns a spreadsheet reversed.
struct ColumnIndex: Sendable {
    private let positions: [(name: String, position: Int)]

    /// - Parameter order: the names in the order they are asked for; any other goes last.
    init(_ index: [String: Int], order: [String]) {
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        positions = index.map { ($0.key, $0.value) }.sorted { (rank[$0.name] ?? order.count, $0.position) < (rank[$1.name] ?? order.count, $1.position) }
    }

    subscript(column: String) -> Int? {
        positions.first { $0.name == column }?.position
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
    let columnIndex: ColumnIndex
    /// Valid but not to be published before its `embargo` date; decoders check every cell first,
    /// so an embargoed row's mistakes are found before its day comes.
    var isEmbargoed: Bool

    var line: Int { record.line }

    func cell(_ column: String) -> CSVCell? {
        guard let position = columnIndex[column] else { return nil }
        return cell(at: position)
    }

    private func cell(at position: Int) -> CSVCell {
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
        guard let position = columnIndex[column] else { return nil }
        return text(at: position)
    }

    private func text(at position: Int) -> String? {
        let text = cell(at: position).text.trimmingSpaces
        return text.isEmpty ? nil : text
    }

    func required(_ column: String, _ diagnostics: inout Diagnostics) -> String? {
        guard let position = columnIndex[column] else { return nil }
        guard let text = text(at: position) else {
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
        // Room for every language at once: grown as filled, each name's dictionary was made twice.
        var values = [String: String](minimumCapacity: languages.count)
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
