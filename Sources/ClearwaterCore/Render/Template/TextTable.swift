/// The rows of a large table as text cells under named columns, for a template to repeat.
///
/// A row is an array in column order and the column names are hashed once for the table:
/// as dictionaries, the million disclosure rows of a province were a million hash tables,
/// each built and torn down for one page. The columns are an enum's cases, so every cell of
/// every row is given by one `switch` that the compiler checks is complete.
///
/// A class, so that each row a section repeats over holds one reference to its table.
final class TextTable: Sendable {
    /// Name → slot: below `width`, a cell's position in a row; from `width` on, a list's place in `lists`.
    let slots: [String: Int]
    let width: Int
    let rows: [[String]]
    /// Lists inside each row — the directory's totals by medium, an emitter's yearly totals — as
    /// tables of their own whose rows go `perRow` at a time to each row of this one: as arrays
    /// of dictionaries, they were two or five more hash tables per row.
    let lists: [List]

    struct List: Sendable {
        let table: TextTable
        let perRow: Int
    }

    convenience init<Item, Column: CaseIterable & RawRepresentable<String>>(_ items: some Sequence<Item>, columns: Column.Type, cell: (Item, Column) -> String) {
        let all = Array(Column.allCases)
        self.init(slots: Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.rawValue, $0) }), width: all.count,
                  rows: items.map { item in all.map { cell(item, $0) } }, lists: [])
    }

    private init(slots: [String: Int], width: Int, rows: [[String]], lists: [List]) {
        (self.slots, self.width, self.rows, self.lists) = (slots, width, rows, lists)
    }

    /// This table with a list named `name` in each row: `items` are the lists' items in row
    /// order, `perRow` for each row.
    func adding<Item, Column: CaseIterable & RawRepresentable<String>>(list name: String, perRow: Int, items: some Sequence<Item>, columns: Column.Type,
                                                                      cell: (Item, Column) -> String) -> TextTable {
        var slots = slots
        slots[name] = width + lists.count
        return TextTable(slots: slots, width: width, rows: rows, lists: lists + [List(table: TextTable(items, columns: columns, cell: cell), perRow: perRow)])
    }

    /// What the name in `slot` is in row `row`: a cell's text, or the row's part of a list.
    func value(inSlot slot: Int, row: Int) -> TemplateValue {
        guard slot >= width else { return .text(rows[row][slot]) }
        let list = lists[slot - width]
        return .textRows(list.table, (row * list.perRow)..<((row + 1) * list.perRow))
    }
}
