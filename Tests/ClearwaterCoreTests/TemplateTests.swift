@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The theme language: what renders, how whitespace around tags behaves, and which mistakes
/// are reported where when a theme loads.
@Suite struct TemplateTests {
    private func render(_ templates: [String: String], _ context: [String: Any], template: String = "main") throws -> String {
        let parsed = try templates.mapValues { try TemplateParser.parse($0) }
        return TemplateLibrary(parsed).render(template, context)
    }

    @Test func escapesTheFiveHTMLCharactersUnlessTripleBraced() throws {
        let context: [String: Any] = ["x": #"<a href="x" title='y'>R&D</a> 铅"#]
        #expect(try render(["main": "{{x}}|{{{x}}}|{{&x}}"], context)
            == #"&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;R&amp;D&lt;/a&gt; 铅|<a href="x" title='y'>R&D</a> 铅|<a href="x" title='y'>R&D</a> 铅"#)
    }

    @Test func emptyTextIsFalseAndStopsTheLookupInEnclosingItems() throws {
        let context: [String: Any] = ["summary": "parent's", "rows": [["name": "a", "summary": ""], ["name": "b", "summary": "own"]]]
        let template = "{{#rows}}{{name}}:{{#summary}}[{{summary}}]{{/summary}}{{^summary}}none{{/summary}};{{/rows}}"
        #expect(try render(["main": template], context) == "a:none;b:[own];")
    }

    /// A text table's rows render as the same rows given as dictionaries would: cells looked up
    /// by column, empty text false, names not among the columns found in enclosing items.
    @Test func aTextTableRendersAsItsRowsAsDictionaries() throws {
        enum Column: String, CaseIterable { case name, flag }
        let items = [("铅 <Pb>", "yes"), ("汞", ""), ("", "")]
        let table = TextTable(items, columns: Column.self) { item, column in
            switch column {
            case .name: item.0
            case .flag: item.1
            }
        }
        let dictionaries: [[String: Any]] = items.map { ["name": $0.0, "flag": $0.1] }
        let template = "{{#rows}}{{name}}{{#flag}}!{{outer}}{{/flag}}{{^name}}nameless{{/name}}|{{/rows}}{{^rows}}none{{/rows}}"
        let rendered = try render(["main": template], ["rows": table, "outer": "&"])
        #expect(rendered == (try render(["main": template], ["rows": dictionaries, "outer": "&"])))
        #expect(rendered == "铅 &lt;Pb&gt;!&amp;|汞|nameless|")
        let empty = TextTable([String](), columns: Column.self) { _, _ in "" }
        #expect(try render(["main": template], ["rows": empty]) == "none")
    }

    /// A list of text-only items, as `map` makes them, renders as the same list of `[String: Any]`
    /// items does: each item's names first, then the enclosing ones; empty, it is false.
    @Test func aListOfTextItemsRendersAsAListOfItems() throws {
        let texts: [[String: String]] = [["label": "铅 <Pb>"], ["label": "汞", "href": "/hg/"]]
        let template = "{{#items}}{{label}}{{#href}}@{{href}}{{/href}}{{^href}}{{outer}}{{/href}};{{/items}}{{^items}}none{{/items}}"
        let rendered = try render(["main": template], ["items": texts, "outer": "&"])
        #expect(rendered == (try render(["main": template], ["items": texts.map { $0 as [String: Any] }, "outer": "&"])))
        #expect(rendered == "铅 &lt;Pb&gt;&amp;;汞@/hg/;")
        #expect(try render(["main": template], ["items": [[String: String]]()]) == "none")
    }

    /// A row's cells are written straight from the row only while the row is the innermost
    /// item: inside a section over an enclosing object the object's names come first, and dotted
    /// names and `.name` are found as for rows given as dictionaries.
    @Test func aRowsCellsGiveWayToInnerItems() throws {
        enum Column: String, CaseIterable { case name, flag }
        let items = [("a", "yes"), ("b", "")]
        let table = TextTable(items, columns: Column.self) { item, column in column == .name ? item.0 : item.1 }
        let dictionaries: [[String: Any]] = items.map { ["name": $0.0, "flag": $0.1] }
        let template = "{{#rows}}{{name}}/{{.name}}/{{#box}}{{name}}{{flag}}{{/box}}/{{box.name}}/{{name.x}}/{{#flag}}{{name}}{{/flag}}|{{/rows}}"
        let rendered = try render(["main": template], ["rows": table, "box": ["name": "boxed"] as [String: Any]])
        #expect(rendered == (try render(["main": template], ["rows": dictionaries, "box": ["name": "boxed"] as [String: Any]])))
        #expect(rendered == "a/a/boxedyes/boxed//a|b/b/boxed/boxed//|")
    }

    /// Each table's columns are its own, though the renderer remembers where a name's column is:
    /// one partial repeated over a table and inside its rows over another with the same names in
    /// another order, and one section over a different table in each item of a list.
    @Test func eachTextTableFindsItsOwnColumns() throws {
        enum Outer: String, CaseIterable { case name, flag }
        enum Inner: String, CaseIterable { case flag, name, code }
        let outer = TextTable([("a", "x"), ("b", "y")], columns: Outer.self) { item, column in column == .name ? item.0 : item.1 }
        let inner = TextTable([("1", "p"), ("2", "q")], columns: Inner.self) { item, column in
            switch column {
            case .flag: "f" + item.0
            case .name: "n" + item.0
            case .code: item.1
            }
        }
        let templates = ["main": "{{#outer}}{{> cell}}({{#inner}}{{> cell}}{{code}},{{/inner}});{{/outer}}", "cell": "{{name}}{{flag}}"]
        #expect(try render(templates, ["outer": outer, "inner": inner]) == "ax(n1f1p,n2f2q,);by(n1f1p,n2f2q,);")
        let groups: [[String: Any]] = [["table": outer], ["table": inner]]
        #expect(try render(["main": "{{#groups}}{{#table}}{{name}}{{/table}};{{/groups}}"], ["groups": groups]) == "ab;n1n2;")
    }

    /// A list inside each row of a text table renders as the same list of dictionaries would:
    /// each row gets its own items, in order, with names of the item, the row and the page.
    @Test func aTextTableListGivesEachRowItsOwnItems() throws {
        enum Column: String, CaseIterable { case name }
        enum Total: String, CaseIterable { case amount }
        let items = [("铅", ["1", "2"]), ("汞", ["", "4"]), ("镉", ["5", "6"])]
        let table = TextTable(items, columns: Column.self) { item, _ in item.0 }
            .adding(list: "totals", columns: Total.self, items: { items[$0].1 }) { amount, _ in amount }
        let dictionaries: [[String: Any]] = items.map { ["name": $0.0, "totals": $0.1.map { ["amount": $0] }] }
        let template = "{{#rows}}{{name}}:{{#totals}}[{{amount}}{{^amount}}{{name}}{{page}}{{/amount}}]{{/totals}};{{/rows}}"
        let rendered = try render(["main": template], ["rows": table, "page": "P"])
        #expect(rendered == (try render(["main": template], ["rows": dictionaries, "page": "P"])))
        #expect(rendered == "铅:[1][2];汞:[汞P][4];镉:[5][6];")
        let none = TextTable(items, columns: Column.self) { item, _ in item.0 }
            .adding(list: "totals", columns: Total.self, items: { _ in [String]() }) { amount, _ in amount }
        #expect(try render(["main": "{{#rows}}{{name}}{{^totals}}-{{/totals}}{{/rows}}"], ["rows": none]) == "铅-汞-镉-")
    }

    /// A reusable table's rows are copied from the previous page by key, at the places the
    /// rendering records, indentation included; a value of the page that the rows read, or a
    /// row's own key, changed makes that row again, and a row that repeats over a list of the
    /// page is never copied.
    @Test func aReusableTablesRowsAreCopiedOnlyWhileWhatTheyReadIsTheSame() throws {
        enum Column: String, CaseIterable { case name }
        let library = TemplateLibrary(try [
            "main": "<div>\n  {{> rows}}\n</div>",
            "rows": "<ul>\n{{#rows}}\n<li>{{name}}{{unit}}</li>\n{{/rows}}\n</ul>",
            "listing": "{{#rows}}<li>{{name}}{{#units}}{{.}}{{/units}}</li>{{/rows}}",
        ].mapValues { try TemplateParser.parse($0) })
        func table(_ names: [String], keys: [UInt64]? = nil, previous: PreviousRows? = nil) -> TextTable {
            let table = TextTable(names, columns: Column.self) { name, _ in name }
            return keys.map { table.reusing(RowReuse(keys: $0, previous: previous)) } ?? table
        }
        func text(_ bytes: some Sequence<UInt8>) -> String { String(decoding: Array(bytes), as: UTF8.self) }
        // What the rows are, made without reuse.
        func plain(_ names: [String], unit: String) -> String { text(library.renderBytes("main", ["rows": table(names), "unit": unit])) }

        let first = library.renderOutput("main", ["rows": table(["铅", "汞"], keys: [1, 2]), "unit": "kg"])
        #expect(text(first.bytes) == plain(["铅", "汞"], unit: "kg") && text(first.bytes).contains("  <li>"))
        let rows = try #require(RenderedRows(encoded: first.rows.encoded))
        #expect(rows == first.rows && rows.rows.map { text(first.bytes[$0.range]).trimmingCharacters(in: .whitespacesAndNewlines) } == ["<li>铅kg</li>", "<li>汞kg</li>"])

        // Marked, so that a copied row shows.
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-rows-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: page) }
        try Data(text(first.bytes).replacingOccurrences(of: "kg<", with: "KG<").utf8).write(to: page)
        let marked = PreviousRows(file: try #require(MappedFile(readingAt: page.path)), rows: rows)
        let again = library.renderOutput("main", ["rows": table(["铅", "镉"], keys: [1, 3], previous: marked), "unit": "kg"])
        #expect(text(again.bytes) == plain(["铅", "镉"], unit: "kg").replacingOccurrences(of: "铅kg", with: "铅KG"))
        #expect(again.rows.rows.map { text(again.bytes[$0.range]).trimmingCharacters(in: .whitespacesAndNewlines) } == ["<li>铅KG</li>", "<li>镉kg</li>"])
        let otherUnit = library.renderOutput("main", ["rows": table(["铅"], keys: [1], previous: marked), "unit": "t"])
        #expect(text(otherUnit.bytes) == plain(["铅"], unit: "t"))

        let listing = library.renderOutput("listing", ["rows": table(["铅"], keys: [1]), "units": ["kg", "t"]])
        #expect(text(listing.bytes) == "<li>铅kgt</li>" && listing.rows.rows.isEmpty)
    }

    @Test func sectionsFollowTheValue() throws {
        let context: [String: Any] = [
            "yes": true, "no": false, "count": 0, "empty": [[String: Any]](), "names": ["铅", "汞"],
            "item": ["label": "Cd", "inner": ["deep": "x"]], "t": ["hello": "你好"], "label": "outer",
        ]
        let template = "{{#yes}}Y{{label}}{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{#count}}{{.}}{{/count}}"
            + "{{#empty}}E{{/empty}}{{^empty}}!E{{/empty}}{{#names}}<{{.}}>{{/names}}{{#item}}{{label}}{{/item}}"
            + "{{item.inner.deep}}{{t.hello}}{{missing}}{{#item}}{{.label}}{{.yes}}{{yes}}{{/item}}{{^missing}}!M{{/missing}}"
        #expect(try render(["main": template], context) == "Youter!N0!E<铅><汞>Cdx你好Cdtrue!M")
    }

    @Test func standaloneTagsTakeTheirLineAndInlineOnesKeepIt() throws {
        let template = "<ul>\n  {{#rows}}\n  <li>{{.}}</li>\n  {{/rows}}\n  {{! a comment }}\n</ul>\n<p> {{#rows}}{{.}}{{/rows}} </p>\r\n  {{#none}}\r\n  x\r\n  {{/none}}\r\nend"
        #expect(try render(["main": template], ["rows": ["a", "b"]]) == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n<p> ab </p>\r\nend")
    }

    @Test func standalonePartialsIndentEveryLine() throws {
        let templates = ["main": "<div>\n  {{> item}}\n</div>\n{{> item}}\n", "item": "<p>\n{{name}}\n</p>\n"]
        #expect(try render(templates, ["name": "Zhuzhou"]) == "<div>\n  <p>\n  Zhuzhou\n  </p>\n</div>\n<p>\nZhuzhou\n</p>\n")
    }

    @Test(arguments: [
        ("a\n{{#rows}}\nb", 2, 1, "section 'rows' is not closed with {{/rows}}"),
        ("{{#a}}{{/b}}", 1, 7, "{{/b}} does not close the open section 'a'"),
        ("x {{/a}}", 1, 3, "{{/a}} closes no open section"),
        ("铅 {{name", 1, 3, "the tag 'name' is not closed with }}"),
        ("{{{raw}}", 1, 1, "{{{ must be closed with }}}"),
        ("{{=<% %>=}}", 1, 1, "{{= tags (custom delimiters, inheritance, pragmas) are not supported"),
        ("{{upper(name)}}", 1, 1, "transforms such as name(…) are not supported"),
        ("\n\n  {{! open", 3, 3, "the comment is not closed with }}"),
        ("{{}}", 1, 1, "the tag has no name"),
    ])
    func reportsMistakesWhereTheyAre(template: String, line: Int, column: Int, message: String) throws {
        let diagnostics = try loadTheme(page: template)
        #expect(diagnostics.map(\.description) == ["Themes/default/templates/page.mustache:\(line):\(column): error: template error: \(message)"])
    }

    @Test func aMissingOrSelfIncludingPartialIsAnErrorWhenTheThemeLoads() throws {
        #expect(try loadTheme(page: "<p>\n {{> sidebar}}").map(\.description)
            == ["Themes/default/templates/page.mustache:2:2: error: template error: no template named 'sidebar' for {{> sidebar}}"])
        #expect(try loadTheme(page: "{{#x}}{{> violation}}{{/x}}", violation: "{{> page}}").map(\.description) == [
            "Themes/default/templates/page.mustache:1:7: error: template error: partials include each other without end: page → violation → page",
            "Themes/default/templates/violation.mustache:1:1: error: template error: partials include each other without end: violation → page → violation",
        ])
    }

    @Test func aPartialOfTheThemesOwnIsLoadedBesideTheRequiredTemplates() throws {
        let (theme, diagnostics) = try themeCopy(page: "<p>{{> sidebar}}</p>", others: ["sidebar": "<aside>{{title}}</aside>"])
        #expect(diagnostics.isEmpty)
        #expect(theme?.templates.render("page", ["title": "Hi"]) == "<p><aside>Hi</aside></p>")
    }

    /// Interface strings are read key by key with their values: each must be a single text, and
    /// every language must have every key, each mistake reported where it stands.
    @Test func interfaceStringsAreSingleTextsInEveryLanguage() throws {
        let (theme, diagnostics) = try themeCopy(page: "<p>{{title}}</p>", i18n: ["en": "title: Title\nextra: Extra\n", "zh": "title: 标题\nextra: 额外\n"])
        #expect(diagnostics.isEmpty)
        #expect(theme?.strings == ["en": ["title": "Title", "extra": "Extra"], "zh": ["title": "标题", "extra": "额外"]])
        let (broken, found) = try themeCopy(page: "<p>{{title}}</p>", i18n: ["en": "title: Title\nlisted: [a, b]\nextra: Extra\n", "zh": "title: 标题\nlisted: 列\n"])
        #expect(broken == nil)
        #expect(found.map(\.description) == [
            "Themes/default/i18n/en.yml:2:1: error: interface string 'listed' must be a single text",
            "Themes/default/i18n/zh.yml:1:1: error: interface string 'extra' has no 'zh' text (it is defined at Themes/default/i18n/en.yml:3)",
        ])
    }

    /// Loads a copy of the default theme with `page.mustache` (and optionally `violation.mustache`) replaced.
    private func loadTheme(page: String, violation: String? = nil) throws -> [Diagnostic] {
        let (theme, diagnostics) = try themeCopy(page: page, others: violation.map { ["violation": $0] } ?? [:])
        #expect(theme == nil)
        return diagnostics
    }

    /// A copy of the default theme with `page.mustache` replaced, the templates in `others`
    /// written beside it by name, and the interface strings in `i18n` by language, loaded.
    private func themeCopy(page: String, others: [String: String] = [:], i18n: [String: String] = [:]) throws -> (Theme?, [Diagnostic]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theme-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: FixtureSite.themes.appendingPathComponent("default"), to: folder)
        try page.write(to: folder.appendingPathComponent("templates/page.mustache"), atomically: true, encoding: .utf8)
        for (name, text) in others {
            try text.write(to: folder.appendingPathComponent("templates/\(name).mustache"), atomically: true, encoding: .utf8)
        }
        for (language, text) in i18n {
            try text.write(to: folder.appendingPathComponent("i18n/\(language).yml"), atomically: true, encoding: .utf8)
        }
        let (theme, diagnostics) = Theme.load(directory: folder, displayPath: "Themes/default", languages: ["zh", "en"])
        return (theme, diagnostics.all)
    }
}
