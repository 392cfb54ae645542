import Foundation

/// `search-index.js`: every enterprise, pollutant, district and Markdown page in every
/// language, for the theme's own search script.
///
/// Written by hand instead of running Pagefind: the script matches substrings, so Chinese
/// queries need no word segmentation (Pagefind segments with jieba when indexing and with the
/// browser when querying, and words such as "株冶" can stop matching, its issue #1237); and
/// for a site of this size one small file beats Pagefind's WebAssembly and fragments
/// (docs/search.md has the figures). A script rather than JSON so it also loads from `file://`.
struct SearchIndex {
    static let path = "search-index.js"

    let site: Site
    let router: Router

    private struct Entry {
        let language: String
        let kind: String
        let title: String
        let path: String
        /// What a query is matched against, lower-cased.
        let text: String
        /// Shown under the title.
        let snippet: String

        /// In the order of the script's rows.
        var fields: [String] { [language, kind, title, path, text, snippet] }
    }

    /// The script, and its rows with their keys for the next build's store. A row whose key
    /// `kept` has is copied from there: only the rows of what changed are folded and escaped.
    /// The pollutants and districts, a handful, are always made.
    func file(keeping kept: SearchRows?, keys inputs: RouteInputs) -> (file: OutputFile, rows: SearchRows) {
        let languages = site.settings.languages
        // Each core makes, in every language, the rows of the same half of the enterprises and
        // half of the pages: a core per language left one idle for a tenth of a second after
        // one Markdown page changed, Chinese text being slower to fold. The pollutants and
        // districts go with the second half.
        let half = site.enterprises.count / 2
        let pages = site.pages.filter { !$0.key.isEmpty && !$0.isPollutantText }
        let pageHalf = pages.count / 2
        let (first, second) = Parallel.both({ [self] in
            let enterprises = enterpriseRows(site.enterprises[..<half], in: languages, keeping: kept, keys: inputs)
            return zip(enterprises, languages).map { ($0, pageRows(pages[..<pageHalf], in: $1, keeping: kept, keys: inputs)) }
        }, {
            let enterprises = enterpriseRows(site.enterprises[half...], in: languages, keeping: kept, keys: inputs)
            return zip(enterprises, languages).map { ($0, Rows(otherEntries(in: $1)), pageRows(pages[pageHalf...], in: $1, keeping: kept, keys: inputs)) }
        })
        // In each language: enterprises, pollutants and districts, pages.
        let runs = zip(first, second).flatMap { first, second in [first.0, second.0, second.1, first.1, second.2] }.filter { !$0.bytes.isEmpty }
        var made = SearchRows()
        made.script = Array("/* Clearwater search index: [language, kind, title, path, text, snippet] */\nself.clearwaterSearchIndex = [\n".utf8)
        made.script.reserveCapacity(made.script.count + runs.reduce(0) { $0 + $1.bytes.count + 2 } + 8)
        made.ranges.reserveCapacity(runs.reduce(0) { $0 + $1.keyed.count })
        for (index, run) in runs.enumerated() {
            if index > 0 { made.script += ",\n".utf8 }
            let offset = made.script.count
            made.script += run.bytes
            for (key, range) in run.keyed { made.ranges[key] = (range.lowerBound + offset)..<(range.upperBound + offset) }
        }
        made.script += "\n];\n".utf8
        return (OutputFile(path: Self.path, contents: made.script), made)
    }

    /// Rows of the script, `[language, kind, title, path, text, snippet]` each, `,\n` between
    /// them; with the key of each that has one, and where it lies among them.
    private struct Rows {
        var bytes: [UInt8] = []
        var keyed: [(key: UInt64, range: Range<Int>)] = []

        init() {}

        init(_ entries: [Entry]) {
            for entry in entries { append(entry, key: nil) }
        }

        mutating func append(_ entry: Entry, key: UInt64?) {
            startRow()
            let start = bytes.count
            bytes.append(UInt8(ascii: "["))
            for (index, field) in entry.fields.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONText.append(quoted: field, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
            if let key { keyed.append((key, start..<bytes.count)) }
        }

        /// A row copied as it was kept.
        mutating func append(kept row: ArraySlice<UInt8>, key: UInt64) {
            startRow()
            keyed.append((key, bytes.count..<(bytes.count + row.count)))
            bytes += row
        }

        private mutating func startRow() {
            if !bytes.isEmpty { bytes += ",\n".utf8 }
        }
    }

    /// The enterprises' rows in each language. What finds an enterprise is the same in every
    /// language but for its title: folded once, and only for an enterprise with a row to make.
    private func enterpriseRows(_ enterprises: ArraySlice<Enterprise>, in languages: [String], keeping kept: SearchRows?, keys: RouteInputs) -> [Rows] {
        var texts = [String?](repeating: nil, count: enterprises.count)
        return languages.map { language in
            var rows = Rows()
            for (place, enterprise) in zip(texts.indices, enterprises) {
                let key = keys.searchRowKey(enterprise: enterprise.id, in: language)
                if let key, let row = kept?.row(key) {
                    rows.append(kept: row, key: key)
                    continue
                }
                let text = texts[place] ?? foldedText(of: enterprise)
                texts[place] = text
                rows.append(enterpriseEntry(enterprise, in: language, text: text), key: key)
            }
            return rows
        }
    }

    private func pageRows(_ pages: ArraySlice<Page>, in language: String, keeping kept: SearchRows?, keys: RouteInputs) -> Rows {
        var rows = Rows()
        for page in pages {
            let key = keys.searchRowKey(page: page.key, in: language)
            if let key, let row = kept?.row(key) {
                rows.append(kept: row, key: key)
            } else if let entry = pageEntry(page, in: language) {
                rows.append(entry, key: key)
            }
        }
        return rows
    }

    /// Compatibility-composed (NFKC) and lower-cased, as queries are. ASCII text is its own
    /// NFKC form: normalising the English pages' text anyway was a tenth of the index.
    static func folded(_ text: String) -> String {
        !text.utf8.containsByte(where: { $0 >= 0x80 }) ? text.lowercased() : text.precomposedStringWithCompatibilityMapping.lowercasedQuickly
    }

    /// An enterprise's names and addresses in every language, its district and industry, credit
    /// code and id, folded. Folding a space and what follows it gives what folding each gives:
    /// no character composes or changes case with a space.
    private func foldedText(of enterprise: Enterprise) -> String {
        let (vocabulary, languages) = (site.vocabulary, site.settings.languages)
        let labels = [vocabulary.districts.labels[enterprise.district], vocabulary.industries.labels[enterprise.industry]]
            .compactMap { $0 }.flatMap { label in languages.map { label.text(in: $0) } }
        let text = enterprise.name.texts(in: languages) + labels + [enterprise.creditCode ?? "", enterprise.id] + languages.map { enterprise.address?.text(in: $0) ?? "" }
        return Self.folded(text.joined(separator: " "))
    }

    private func entry(_ kind: PageKind, _ kindName: String, in language: String, title: String, foldedText: String, snippet: String) -> Entry {
        Entry(language: language, kind: kindName, title: title, path: router.route(kind, in: language).path, text: foldedText, snippet: snippet)
    }

    private func entry(_ kind: PageKind, _ kindName: String, in language: String, title: String, text: [String], snippet: String) -> Entry {
        entry(kind, kindName, in: language, title: title, foldedText: Self.folded(([title] + text).joined(separator: " ")), snippet: snippet)
    }

    /// `text`: the enterprise's `foldedText(of:)`.
    private func enterpriseEntry(_ enterprise: Enterprise, in language: String, text: String) -> Entry {
        let vocabulary = site.vocabulary
        let snippet = [vocabulary.districts.label(enterprise.district, in: language), vocabulary.industries.label(enterprise.industry, in: language),
                       vocabulary.statuses.label(enterprise.status, in: language)].joined(separator: " · ")
        let title = enterprise.name.text(in: language, fallbacks: site.settings.languages)
        return entry(.enterprise(id: enterprise.id), "enterprise", in: language, title: title, foldedText: Self.folded(title) + " " + text, snippet: snippet)
    }

    /// The pollutants, then the districts.
    private func otherEntries(in language: String) -> [Entry] {
        let (vocabulary, languages) = (site.vocabulary, site.settings.languages)
        let pollutants = vocabulary.pollutants.keys.map { code in
            let labels = languages.map { vocabulary.pollutants.label(code, in: $0) }
            let about = site.page("pollutants/" + code)?.version(for: language, languages: languages).map { PlainText.from(html: $0.version.html) } ?? ""
            return entry(.pollutant(code: code), "pollutant", in: language, title: vocabulary.pollutants.label(code, in: language), text: labels + [code, about],
                         snippet: String(about.prefix(120)))
        }
        let districts = site.districtsInUse.map { key in
            entry(.district(key: key), "district", in: language, title: vocabulary.districts.label(key, in: language),
                  text: languages.map { vocabulary.districts.label(key, in: $0) }, snippet: "")
        }
        return pollutants + districts
    }

    /// `nil` for a page with nothing to publish in any language.
    private func pageEntry(_ page: Page, in language: String) -> Entry? {
        guard let (version, _) = page.version(for: language, languages: site.settings.languages) else { return nil }
        let text = PlainText.from(html: version.html)
        return entry(.markdown(key: page.key), "page", in: language, title: version.title, text: [version.summary ?? "", text],
                     snippet: version.summary ?? String(text.prefix(120)))
    }
}

/// The words of an HTML fragment cmark wrote, for matching and snippets.
enum PlainText {
    /// Block elements end a word; inline ones (`<em>`, `<a>`) do not, or "清水<em>塘</em>" would not match "清水塘".
    private static let blockTags: Set<String> = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "td", "th", "tr", "pre", "blockquote", "div", "table", "ul", "ol", "dt", "dd"]

    /// The five entities cmark writes, decoded as if `&amp;` were replaced after the others.
    private static let entities: [(name: [UInt8], character: UInt8)] = [
        (Array("lt;".utf8), UInt8(ascii: "<")), (Array("gt;".utf8), UInt8(ascii: ">")), (Array("quot;".utf8), UInt8(ascii: "\"")),
        (Array("#39;".utf8), UInt8(ascii: "'")), (Array("amp;".utf8), UInt8(ascii: "&")),
    ]

    /// Tags and entities found in UTF-8 bytes, where `<`, `>` and `&` never occur inside another
    /// character: walking `Character`s was two thirds of making the search index of 2,000 pages.
    static func from(html: String) -> String {
        collapsingWhiteSpace(decodingEntities(strippingTags(Array(html.utf8))))
    }

    /// Each run of white space as one space, none at either end. Over UTF-8 bytes: appending
    /// scalar by scalar to a string was half of the search index after one page changed. No
    /// scalar above U+3000 is white space, so no character whose first byte is past 0xE3
    /// (ideographs among them) is decoded, and only those up to U+3000 are looked up.
    private static func collapsingWhiteSpace(_ text: [UInt8]) -> String {
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(text.count)
        var spaceDue = false
        var index = 0
        while index < text.count {
            let byte = text[index]
            let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            let end = min(index + length, text.count)
            let isWhiteSpace = byte < 0x80 ? (0x09...0x0D).contains(byte) || byte == 0x20
                : byte <= 0xE3 && Unicode.Scalar(scalarValue(text[index..<end])).map { $0.value <= 0x3000 && $0.properties.isWhitespace } == true
            if isWhiteSpace {
                spaceDue = !collapsed.isEmpty
            } else {
                if spaceDue {
                    collapsed.append(UInt8(ascii: " "))
                    spaceDue = false
                }
                collapsed.append(contentsOf: text[index..<end])
            }
            index = end
        }
        return String(decoding: collapsed, as: UTF8.self)
    }

    /// The scalar value of one UTF-8 sequence of two or three bytes.
    private static func scalarValue(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        let lead = UInt32(bytes[bytes.startIndex])
        return bytes.dropFirst().reduce(bytes.count == 2 ? lead & 0x1F : lead & 0x0F) { $0 << 6 | UInt32($1 & 0x3F) }
    }

    /// The text between tags; a block element's tag becomes a space.
    private static func strippingTags(_ html: [UInt8]) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(html.count)
        var tagStart: Int?
        for (index, byte) in html.enumerated() {
            if let start = tagStart {
                if byte == UInt8(ascii: ">") {
                    if isBlockTag(html[start..<index]) { text.append(UInt8(ascii: " ")) }
                    tagStart = nil
                }
            } else if byte == UInt8(ascii: "<") {
                tagStart = index + 1
            } else {
                text.append(byte)
            }
        }
        return text
    }

    /// Whether a tag's text (`p class="x"`, `/li`) names a block element.
    private static func isBlockTag(_ tag: ArraySlice<UInt8>) -> Bool {
        let name = String(decoding: tag, as: UTF8.self).drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
        return blockTags.contains(name)
    }

    private static func decodingEntities(_ text: [UInt8]) -> [UInt8] {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "&"), let entity = entities.first(where: { text[(index + 1)...].starts(with: $0.name) }) {
                decoded.append(entity.character)
                index += 1 + entity.name.count
            } else {
                decoded.append(text[index])
                index += 1
            }
        }
        return decoded
    }
}
