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
