import Foundation

/// What every page renderer needs to know about the page it is making: its language,
/// how to link from where it stands, and how to say things in its language.
///
/// A class, though immutable: the helpers of a page (its rows, charts, totals) and their
/// closures each hold it, and a struct copy retained every one of the site's many arrays —
/// for the disclosure rows, several per cell.
final class PageEnvironment: Sendable {
    let site: Site
    let theme: Theme
    let route: Route
    let router: Router
    /// Worked out once for the page: every label, interface string and link on it asks.
    let language: String
    let strings: [String: String]
    /// For the summary tables, what their rows are made from and the page's previous build
    /// (`RowReuse`); without keys, every row is rendered.
    let rowKeys: RowKeys?
    let previousRows: PreviousRows?

    init(site: Site, theme: Theme, route: Route, router: Router, rowKeys: RowKeys? = nil, previousRows: PreviousRows? = nil) {
        (self.site, self.theme, self.route, self.router) = (site, theme, route, router)
        language = route.language ?? site.settings.defaultLanguage
        strings = theme.strings[language] ?? [:]
        (self.rowKeys, self.previousRows) = (rowKeys, previousRows)
    }

    /// `table` with its rows copied from the page's previous build where their keys are found
    /// there: `figures(row)` are what a row shows besides the records of its enterprise.
    func reusingRows(of table: TextTable, enterprises ids: [String], showing figures: (Int) -> [String]) -> TextTable {
        guard let page = rowKeys?.page(route.outputPath) else { return table }
        var keys: [UInt64] = []
        keys.reserveCapacity(ids.count)
        for (row, id) in ids.enumerated() {
            guard let key = page.key(enterprise: id, showing: figures(row)) else { return table }
            keys.append(key)
        }
        return table.reusing(RowReuse(keys: keys, previous: previousRows))
    }

    var languages: [String] { site.settings.languages }

    /// The way back to the site root: relative, so the site works under any sub-path;
    /// absolute for 404.html, which the server shows at any depth.
    var root: String {
        if route.kind == .notFound { return site.settings.baseURL.path }
        return String(repeating: "../", count: route.depth)
    }

    func t(_ key: String) -> String { strings[key] ?? key }

    /// An interface string with its `{name}` placeholders filled (`fill`).
    func t(_ key: String, filling values: KeyValuePairs<String, String>) -> String {
        Self.fill(t(key), with: values)
    }

    /// `template` with each `{name}` that `values` names replaced, in one pass: a value that
    /// itself contains `{…}` is left as it is, and an unknown name stays as written. Filled as
    /// UTF-8 bytes (the braces are ASCII): walking `Character`s through Chinese text was a
    /// percent of a build, and slicing and appending `Substring`s half a percent more, with a
    /// chart's summary on every enterprise page.
    static func fill(_ template: String, with values: KeyValuePairs<String, String>) -> String {
        var template = template
        return template.withUTF8 { bytes in
            var filled: [UInt8] = []
            filled.reserveCapacity(bytes.count + values.reduce(0) { $0 + $1.value.utf8.count })
            var rest = 0
            while let open = bytes[rest...].firstIndex(of: UInt8(ascii: "{")), let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) {
                filled.append(contentsOf: bytes[rest..<open])
                let name = bytes[(open + 1)..<close]
                if let value = values.first(where: { $0.key.utf8.elementsEqual(name) })?.value {
                    filled.append(contentsOf: value.utf8)
                } else {
                    filled.append(contentsOf: bytes[open...close])
                }
                rest = close + 1
            }
            filled.append(contentsOf: bytes[rest...])
            return String(decoding: filled, as: UTF8.self)
        }
    }

    func href(_ kind: PageKind, in language: String? = nil) -> String {
        let target = router.route(kind, in: language ?? self.language)
        return root + target.path
    }

    func href(sitePath: String) -> String { root + sitePath }

    func label(_ codebook: Codebook, _ key: String?) -> String {
        guard let key else { return "" }
        return codebook.label(key, in: language)
    }

    /// `label` for a whole table's rows: the codebook's labels worked out once.
    func labels(_ codebook: Codebook) -> CodebookLabels {
        CodebookLabels(codebook, in: language)
    }

    func text(_ localized: Localized?) -> String {
        localized?.text(in: language, fallbacks: languages) ?? ""
    }

    func enterpriseName(_ id: String) -> String {
        site.enterpriseByID[id].map { text($0.name) } ?? id
    }

    func yesNo(_ value: Bool?) -> String {
        switch value {
        case true?: t("yes")
        case false?: t("no")
        case nil: ""
        }
    }

    /// The context of one select in the `filters` partial: its interface-string label and options.
    func filter(_ name: String, _ options: [(value: String, label: String)]) -> [String: Any] {
        ["name": name, "label": t(name), "options": options.map { ["value": $0.value, "label": $0.label] }]
    }

    /// A select offering the codebook's keys that are `used`, in vocabulary order.
    func filter(_ name: String, _ codebook: Codebook, used: Set<String>) -> [String: Any] {
        filter(name, codebook.keys.filter(used.contains).map { ($0, label(codebook, $0)) })
    }

    /// `html lang` values: Simplified Chinese as published in mainland China.
    static func htmlLanguage(_ code: String) -> String { code == "zh" ? "zh-CN" : code }
}
