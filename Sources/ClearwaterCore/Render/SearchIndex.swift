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
    let theme: Theme
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
    }

    func file() -> OutputFile {
        var entries: [Entry] = []
        let vocabulary = site.vocabulary
        let languages = site.settings.languages
        for language in languages {
            func entry(_ kind: PageKind, _ kindName: String, title: String, text: [String], snippet: String) {
                let path = router.route(kind, in: language).path
                entries.append(Entry(language: language, kind: kindName, title: title, path: path,
                                     text: ([title] + text).joined(separator: " ").precomposedStringWithCompatibilityMapping.lowercased(), snippet: snippet))
            }
            for enterprise in site.enterprises {
                let names = enterprise.name.texts(in: languages)
                let labels = [vocabulary.districts.labels[enterprise.district], vocabulary.industries.labels[enterprise.industry]]
                    .compactMap { $0 }.flatMap { label in languages.map { label.text(in: $0) } }
                let snippet = [vocabulary.districts.label(enterprise.district, in: language), vocabulary.industries.label(enterprise.industry, in: language),
                               vocabulary.statuses.label(enterprise.status, in: language)].joined(separator: " · ")
                entry(.enterprise(id: enterprise.id), "enterprise", title: enterprise.name.text(in: language, fallbacks: languages),
                      text: names + labels + [enterprise.creditCode ?? "", enterprise.id] + languages.map { enterprise.address?.text(in: $0) ?? "" },
                      snippet: snippet)
            }
            for code in vocabulary.pollutants.keys {
                let labels = languages.map { vocabulary.pollutants.label(code, in: $0) }
                let about = site.page("pollutants/" + code)?.version(for: language, languages: languages).map { PlainText.from(html: $0.version.html) } ?? ""
                entry(.pollutant(code: code), "pollutant", title: vocabulary.pollutants.label(code, in: language), text: labels + [code, about], snippet: String(about.prefix(120)))
            }
            for key in site.districtsInUse {
                entry(.district(key: key), "district", title: vocabulary.districts.label(key, in: language),
                      text: languages.map { vocabulary.districts.label(key, in: $0) }, snippet: "")
            }
            for page in site.pages where !page.key.isEmpty && !page.isPollutantText {
                guard let (version, _) = page.version(for: language, languages: languages) else { continue }
                let text = PlainText.from(html: version.html)
                entry(.markdown(key: page.key), "page", title: version.title, text: [version.summary ?? "", text],
                      snippet: version.summary ?? String(text.prefix(120)))
            }
        }
        let rows = entries.map { entry in
            "[" + [entry.language, entry.kind, entry.title, entry.path, entry.text, entry.snippet].map(JSONText.quoted).joined(separator: ",") + "]"
        }
        let script = "/* Clearwater search index: [language, kind, title, path, text, snippet] */\nself.clearwaterSearchIndex = [\n"
            + rows.joined(separator: ",\n") + "\n];\n"
        return OutputFile(path: Self.path, contents: Data(script.utf8))
    }
}

/// The words of an HTML fragment cmark wrote, for matching and snippets.
enum PlainText {
    /// Block elements end a word; inline ones (`<em>`, `<a>`) do not, or "清水<em>塘</em>" would not match "清水塘".
    private static let blockTags: Set<String> = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "td", "th", "tr", "pre", "blockquote", "div", "table", "ul", "ol", "dt", "dd"]

    static func from(html: String) -> String {
        var text = ""
        var tag: String?
        for character in html {
            if var name = tag {
                if character == ">" {
                    let bare = name.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
                    if blockTags.contains(bare) { text.append(" ") }
                    tag = nil
                } else {
                    name.append(character)
                    tag = name
                }
            } else if character == "<" {
                tag = ""
            } else {
                text.append(character)
            }
        }
        let decoded = text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        return decoded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
