/// The rows of a large table as text cells under named columns, for a template to repeat.
///
/// A row is an array in column order and the column names are hashed once for the table:
/// as dictionaries, the million disclosure rows of a province were a million hash tables,
/// each built and torn down for one page. The columns are an enum's cases, so every cell of
/// every row is given by one `switch` that the compiler checks is complete.
struct TextTable {
    /// Column name → position in a row.
    let columns: [String: Int]
    let rows: [[String]]

    init<Item, Column: CaseIterable & RawRepresentable<String>>(_ items: some Sequence<Item>, columns: Column.Type, cell: (Item, Column) -> String) {
        let all = Array(Column.allCases)
        self.columns = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.rawValue, $0) })
        rows = items.map { item in all.map { cell(item, $0) } }
    }
}
