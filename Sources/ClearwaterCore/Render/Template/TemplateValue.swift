/// A value from a page context, classified once by its exact dynamic type.
///
/// Pages build their contexts as plain dictionaries; comparing a value's type to a handful of
/// known types costs a pointer comparison, where `as?` casts search protocol conformances or
/// convert whole collections element by element.
enum TemplateValue {
    case text(String)
    case flag(Bool)
    case object([String: Any])
    /// Interface strings, looked up as they are rather than copied into `[String: Any]`.
    case strings([String: String])
    case list([Any])
    case objects([[String: Any]])
    /// Lists of text-only items, as contexts make them with `map`: cast to `[Any]`, each was
    /// converted item by item.
    case stringObjects([[String: String]])
    /// The rows of a text table, or of a list in a row of one (a table of its own).
    case textRows(TextTable)
    /// A row of a text table, as a section repeating over the table sees it, with its cells;
    /// `lookup` numbers the cache of the table's slots by template name that the rendering keeps.
    case textRow(TextTable, row: Int, cells: [String], lookup: Int)
    case texts([String])
    /// A template's output, put into another's as it is.
    case html(RenderedHTML)
    /// Numbers and anything else: printed as Swift describes them, as swift-mustache did.
    /// Boxed: an `Any` payload made every copy of every value go through its type's witnesses.
    case other(Opaque)

    final class Opaque {
        let value: Any
        init(_ value: Any) { self.value = value }
    }

    init(_ value: Any) {
        let type = Swift.type(of: value)
        self = if type == String.self { .text(value as! String) }
            else if type == [String: Any].self { .object(value as! [String: Any]) }
            else if type == Bool.self { .flag(value as! Bool) }
            else if type == [[String: Any]].self { .objects(value as! [[String: Any]]) }
            else if type == [[String: String]].self { .stringObjects(value as! [[String: String]]) }
            else if type == Int.self { .other(Opaque(value)) }
            else if type == [String: String].self { .strings(value as! [String: String]) }
            else if type == TextTable.self { .textRows(value as! TextTable) }
            else if type == [String].self { .texts(value as! [String]) }
            else if type == [Any].self { .list(value as! [Any]) }
            else if type == RenderedHTML.self { .html(value as! RenderedHTML) }
            else if let dictionary = value as? [String: Any] { .object(dictionary) }
            else if let array = value as? [Any] { .list(array) }
            else { .other(Opaque(value)) }
    }

    func member(_ key: String) -> TemplateValue? {
        switch self {
        case let .object(dictionary): dictionary[key].map(TemplateValue.init)
        case let .strings(strings): strings[key].map(TemplateValue.text)
        case let .textRow(table, row, cells, _): table.slots[key].map { table.value(inSlot: $0, row: row, cells: cells) }
        default: nil
        }
    }

    /// Empty text is false, so `{{#address}}…{{/address}}` shows nothing for a blank address.
    var isTruthy: Bool {
        switch self {
        case let .text(text): !text.isEmpty
        case let .flag(flag): flag
        case let .list(items): !items.isEmpty
        case let .objects(items): !items.isEmpty
        case let .stringObjects(items): !items.isEmpty
        case let .textRows(table): table.count > 0
        case let .texts(items): !items.isEmpty
        case let .html(html): !html.bytes.isEmpty
        case .object, .strings, .textRow, .other: true
        }
    }

    /// Calls `body` with each item a section repeats over: a list's items, or the value itself
    /// once. (A text table's rows are repeated by the rendering, which keeps their slots.)
    func forEachItem(_ body: (TemplateValue) -> Void) {
        switch self {
        case let .list(items): for item in items { body(TemplateValue(item)) }
        case let .objects(items): for item in items { body(.object(item)) }
        case let .stringObjects(items): for item in items { body(.strings(item)) }
        case let .texts(items): for item in items { body(.text(item)) }
        default: body(self)
        }
    }

    var text: String {
        switch self {
        case let .text(text): text
        case let .flag(flag): String(flag)
        case let .object(value): String(describing: value)
        case let .strings(value): String(describing: value)
        case let .list(value): String(describing: value)
        case let .objects(value): String(describing: value)
        case let .stringObjects(value): String(describing: value)
        case let .textRows(table): String(describing: (0..<table.count).map(table.cells(ofRow:)))
        case let .textRow(_, _, cells, _): String(describing: cells)
        case let .texts(value): String(describing: value)
        case let .html(html): String(decoding: html.bytes, as: UTF8.self)
        case let .other(box): String(describing: box.value)
        }
    }
}

/// A page's rendered body on its way into the layout: kept as the bytes the renderer made, since
/// checking them as a `String` and copying them back was a page's largest copy (five megabytes
/// for a province's pollutant page).
struct RenderedHTML {
    let bytes: [UInt8]
}
