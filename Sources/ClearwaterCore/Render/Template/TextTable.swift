/// The rows of a large table as text cells under named columns, for a template to repeat.
///
/// A row is an array in column order and the column names are hashed once for the table:
/// as dictionaries, the million disclosure rows of a province were a million hash tables,
/// each built and torn down for one page. The columns are an enum's cases, so every cell of
/// every row is given by one `switch` that the compiler checks is complete.
///
/// A row's cells are made when the row is rendered, so a row copied from the page's previous
/// build (`RowReuse`) costs nothing to make. A class, so that each row a section repeats over
/// holds one reference to its table.
final class TextTable {
    /// Name → slot: below `width`, a cell's position in a row; from `width` on, a list's place in `lists`.
    let slots: [String: Int]
    let width: Int
    let count: Int
    private let cells: (Int) -> [String]
    /// Lists inside each row — the directory's totals by medium, an emitter's yearly totals —
    /// each row's as a table of its own: as arrays of dictionaries, they were two or five more
    /// hash tables per row.
    private let lists: [List]
    /// Where the rows may be copied from the page's previous build.
    let reuse: RowReuse?

    private struct List {
        let slots: [String: Int]
        let table: (Int) -> TextTable
    }

    convenience init<Item, Column: CaseIterable & RawRepresentable<String>>(_ items: some RandomAccessCollection<Item>, columns: Column.Type,
                                                                          cell: @escaping (Item, Column) -> String) {
        let all = Array(Column.allCases)
        self.init(Array(items), columns: all, slots: Self.slots(of: all), cell: cell)
    }

    /// With the columns and their slots worked out already: a list's table is made for every row.
    private convenience init<Item, Column>(_ items: [Item], columns: [Column], slots: [String: Int], cell: @escaping (Item, Column) -> String) {
        self.init(slots: slots, width: columns.count, count: items.count, cells: { row in
            // Taken out once: a disclosure read out of the array for each cell was copied each time.
            let item = items[row]
            return columns.map { cell(item, $0) }
        }, lists: [], reuse: nil)
    }

    private static func slots<Column: RawRepresentable<String>>(of columns: [Column]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.rawValue, $0) })
    }

    private init(slots: [String: Int], width: Int, count: Int, cells: @escaping (Int) -> [String], lists: [List], reuse: RowReuse?) {
        (self.slots, self.width, self.count, self.cells, self.lists, self.reuse) = (slots, width, count, cells, lists, reuse)
    }

    /// This table with a list named `name` in each row: `items` gives a row's items.
    func adding<Item, Column: CaseIterable & RawRepresentable<String>>(list name: String, columns: Column.Type, items: @escaping (Int) -> [Item],
                                                                      cell: @escaping (Item, Column) -> String) -> TextTable {
        var slots = slots
        slots[name] = width + lists.count
        let listColumns = Array(Column.allCases), listSlots = Self.slots(of: listColumns)
        let list = List(slots: listSlots) { row in TextTable(items(row), columns: listColumns, slots: listSlots, cell: cell) }
        return TextTable(slots: slots, width: width, count: count, cells: cells, lists: lists + [list], reuse: reuse)
    }

    /// This table, its rows copied from the previous build where `reuse` finds them.
    func reusing(_ reuse: RowReuse) -> TextTable {
        TextTable(slots: slots, width: width, count: count, cells: cells, lists: lists, reuse: reuse)
    }

    /// The cells of row `row`, made now.
    func cells(ofRow row: Int) -> [String] {
        cells(row)
    }

    /// What the name in `slot` is in a row: a cell's text, or the row's list.
    func value(inSlot slot: Int, row: Int, cells: [String]) -> TemplateValue {
        guard slot >= width else { return .text(cells[slot]) }
        return .textRows(lists[slot - width].table(row))
    }

    /// The names of the items of the list named `name`, if the rows have one.
    func itemSlots(ofList name: String) -> [String: Int]? {
        guard let slot = slots[name], slot >= width else { return nil }
        return lists[slot - width].slots
    }
}
