/// One cell of a CSV file with the position of its first character.
public struct CSVCell: Equatable, Sendable {
    public var text: String
    public var line: Int
    public var column: Int
}

/// One record; `line` is where it starts (a quoted cell may carry it over several lines).
public struct CSVRecord: Equatable, Sendable {
    public var cells: [CSVCell]
    public var line: Int
}

/// A parsed CSV file: the header record and the data records, every cell located.
public struct CSVTable: Equatable, Sendable {
    public var path: String
    public var header: CSVRecord?
    public var records: [CSVRecord]
}
