import Foundation
import Yams

/// Turns `site.yml` into `SiteSettings`, reporting every problem with its position.
struct SettingsDecoder {
    static let knownKeys = ["title", "description", "publisher", "base_url", "data_as_of", "contact", "site_code",
                            "icp_record", "police_record", "languages", "theme", "unsafe_html", "illustrative_data", "encoding"]

    func decode(_ document: YAMLDocument, diagnostics: inout Diagnostics) -> SiteSettings? {
        guard let root = document.rootMapping(diagnostics: &diagnostics) else { return nil }
        root.warnAboutUnknownKeys(known: Self.knownKeys, diagnostics: &diagnostics)

        let languages = decodeLanguages(root, diagnostics: &diagnostics)
        let title = root.localized("title", languages: languages, required: true, diagnostics: &diagnostics)
        let description = root.localized("description", languages: languages, required: false, diagnostics: &diagnostics)
        let publisher = root.localized("publisher", languages: languages, required: false, diagnostics: &diagnostics)
        if root.value("publisher") == nil {
            diagnostics.warning("'publisher' is not set; the footer names the site title instead", at: SourceLocation(path: document.path, line: 1, column: 1))
        }
        let contact = root.localized("contact", languages: languages, required: false, diagnostics: &diagnostics)

        var baseURL: BaseURL?
        if let text = root.string("base_url", diagnostics: &diagnostics) {
            baseURL = BaseURL(text)
            if baseURL == nil {
                diagnostics.error("'base_url' must be an absolute http(s) URL such as https://example.org/disclosure/", at: root.location(of: "base_url"))
            }
        } else {
            diagnostics.error("'base_url' is required (the absolute address the site is published at)", at: SourceLocation(path: document.path, line: 1, column: 1))
        }

        var dataAsOf: Day?
        if let text = root.string("data_as_of", diagnostics: &diagnostics) {
            dataAsOf = Day(text)
            if dataAsOf == nil { diagnostics.error("'data_as_of' must be a date written YYYY-MM-DD", at: root.location(of: "data_as_of")) }
        }

        var theme = root.string("theme", diagnostics: &diagnostics) ?? "default"
        if theme.isEmpty || theme.contains("/") || theme.hasPrefix(".") || theme.contains("\0") {
            diagnostics.error("'theme' must be the name of a folder in the themes folder", at: root.location(of: "theme"))
            // The default theme is still checked, so this run reports its problems too.
            theme = "default"
        }

        let unsafeHTML = flag("unsafe_html", in: root, diagnostics: &diagnostics)
        let illustrative = flag("illustrative_data", in: root, diagnostics: &diagnostics)

        let encodings = decodeEncodings(root, diagnostics: &diagnostics)

        guard let title, let baseURL, !languages.isEmpty else { return nil }
        return SiteSettings(
            title: title, description: description ?? title, publisher: publisher ?? title, baseURL: baseURL,
            dataAsOf: dataAsOf, contact: contact,
            siteCode: root.string("site_code", diagnostics: &diagnostics),
            icpRecord: root.string("icp_record", diagnostics: &diagnostics),
            policeRecord: root.string("police_record", diagnostics: &diagnostics),
            languages: languages, theme: theme, unsafeHTML: unsafeHTML, illustrativeData: illustrative, encodings: encodings)
    }

    private func decodeLanguages(_ root: YAMLMapping, diagnostics: inout Diagnostics) -> [String] {
        guard let node = root.value("languages") else {
            diagnostics.error("'languages' is required, for example [zh, en]", at: SourceLocation(path: root.document.path, line: 1, column: 1))
            return []
        }
        guard let items = node.sequence else {
            diagnostics.error("'languages' must be a list such as [zh, en]", at: root.document.location(of: node))
            return []
        }
        var languages: [String] = []
        for item in items {
            guard let code = item.string, code.range(of: "^[a-z]{2,3}$", options: .regularExpression) != nil else {
                diagnostics.error("a language must be a lower-case ISO 639 code such as zh or en", at: root.document.location(of: item))
                continue
            }
            if languages.contains(code) {
                diagnostics.error("language '\(code)' is listed twice", at: root.document.location(of: item))
            } else {
                languages.append(code)
            }
        }
        if items.isEmpty {
            diagnostics.error("'languages' must name at least one language", at: root.document.location(of: node))
        }
        return languages
    }

    private func decodeEncodings(_ root: YAMLMapping, diagnostics: inout Diagnostics) -> FileEncodings {
        var encodings = FileEncodings()
        guard let node = root.value("encoding") else { return encodings }
        if let map = root.child("encoding") {
            for (path, keyNode, value) in map.entries {
                if let encoding = Self.encoding(value, in: root.document, diagnostics: &diagnostics) { encodings.byPath[path] = encoding }
                if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                    diagnostics.error("'\(path)' must be a path inside the content folder, such as data/disclosures.csv", at: root.document.location(of: keyNode))
                }
            }
        } else {
            encodings.dataFiles = Self.encoding(node, in: root.document, diagnostics: &diagnostics)
        }
        return encodings
    }

    /// A declared encoding name; shared with front matter, which may name its own file's encoding.
    static func encoding(_ node: Node?, in document: YAMLDocument, diagnostics: inout Diagnostics) -> TextEncoding? {
        let names = TextEncoding.allCases.map(\.rawValue)
        guard let name = node?.string, let encoding = TextEncoding(name: name) else {
            diagnostics.error("'encoding' must be one of \(names.joined(separator: ", ")) (GBK and GB2312 are read as GB18030)\(Suggestion.didYouMean(node?.string ?? "", among: names))", at: document.location(of: node))
            return nil
        }
        return encoding
    }

    private func flag(_ key: String, in root: YAMLMapping, diagnostics: inout Diagnostics) -> Bool {
        guard let node = root.value(key) else { return false }
        guard let value = node.bool else {
            diagnostics.error("'\(key)' must be true or false", at: root.document.location(of: node))
            return false
        }
        return value
    }
}
