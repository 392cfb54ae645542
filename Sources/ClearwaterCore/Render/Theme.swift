import Foundation
import Yams

/// A theme folder: Mustache templates, interface strings per language, and static assets.
///
/// ```
/// Themes/NAME/templates/*.mustache
/// Themes/NAME/i18n/LANG.yml      flat map of interface strings
/// Themes/NAME/assets/**          copied to /assets/
/// ```
public struct Theme: Sendable {
    /// Templates every theme must provide, one per page kind plus the shared layout.
    static let requiredTemplates = ["layout", "chooser", "not-found", "home", "enterprises", "enterprise",
                                    "pollutants", "pollutant", "blacklist", "targets", "open-data", "page", "violation",
                                    "filters", "directory", "district", "updates", "search", "disclosures", "chart", "targets-table", "yearly-totals", "emitters"]

    let templates: TemplateLibrary
    /// Language → key → text.
    public let strings: [String: [String: String]]
    /// Path below `assets/` → bytes.
    public let assets: [String: Data]
    /// Every byte the theme was loaded from: any edit to a theme renders every page again.
    let digest: String

    /// The same theme, its interface strings in storage of their own (`String.unshared`), for
    /// one thread's pages: every page puts dozens of them in its context, and with both cores
    /// retaining the same strings, their reference counts went back and forth between the
    /// cores' caches.
    func unshared() -> Theme {
        Theme(templates: templates, strings: strings.mapValues { table in Dictionary(uniqueKeysWithValues: table.map { ($0.key.unshared, $0.value.unshared) }) },
              assets: assets, digest: digest)
    }

    public static func load(directory: URL, displayPath: String, languages: [String]) -> (Theme?, Diagnostics) {
        var diagnostics = Diagnostics()
        guard FileManager.default.fileExists(atPath: directory.path) else {
            diagnostics.error("theme folder not found", at: SourceLocation(path: displayPath))
            return (nil, diagnostics)
        }
        var hash = StableHash()
        let templates = loadTemplates(directory.appendingPathComponent("templates"), displayPath: displayPath + "/templates", theme: directory, hash: &hash, diagnostics: &diagnostics)
        let strings = loadStrings(directory.appendingPathComponent("i18n"), displayPath: displayPath + "/i18n", theme: directory, languages: languages, hash: &hash, diagnostics: &diagnostics)
        let assets = loadAssets(directory.appendingPathComponent("assets"), displayPath: displayPath + "/assets", theme: directory, diagnostics: &diagnostics)
        for (path, bytes) in assets.sorted(by: { $0.key < $1.key }) {
            hash.add(path)
            hash.add(bytes)
        }
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (Theme(templates: templates, strings: strings, assets: assets, digest: hash.hex), diagnostics)
    }

    /// The required templates and any other `.mustache` file beside them, such as a partial of
    /// the theme's own (the default theme's `pager`), as Hugo and Zola load every template.
    private static func loadTemplates(_ directory: URL, displayPath: String, theme: URL, hash: inout StableHash, diagnostics: inout Diagnostics) -> TemplateLibrary {
        var templates: [String: Template] = [:]
        var texts: [String: String] = [:]
        let present = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }
        for name in requiredTemplates + present.filter({ !requiredTemplates.contains($0) }).sorted() {
            let path = "\(displayPath)/\(name).mustache"
            guard let text = TextFile.text(at: directory.appendingPathComponent("\(name).mustache"), path: path, inside: theme, diagnostics: &diagnostics) else { continue }
            hash.add(name)
            hash.add(text)
            texts[name] = text
            do {
                templates[name] = try TemplateParser.parse(text)
            } catch {
                diagnostics.error("template error: \(error.message)", at: location(of: error.offset, in: text, path: path))
            }
        }
        let library = TemplateLibrary(templates)
        for problem in library.problems() {
            let path = "\(displayPath)/\(problem.template).mustache"
            diagnostics.error("template error: \(problem.message)", at: location(of: problem.offset, in: texts[problem.template] ?? "", path: path))
        }
        return library
    }

    private static func location(of offset: Int, in text: String, path: String) -> SourceLocation {
        let (line, column) = TextFile.position(ofByte: offset, in: text.utf8)
        return SourceLocation(path: path, line: line, column: column)
    }

    /// Every language must have every key the default language has, so no page shows a raw key.
    private static func loadStrings(_ directory: URL, displayPath: String, theme: URL, languages: [String], hash: inout StableHash, diagnostics: inout Diagnostics) -> [String: [String: String]] {
        var strings: [String: [String: String]] = [:]
        var keyNodes: [String: SourceLocation] = [:]
        // Every key each language writes, valid or not: one whose value is not a text is
        // reported as such, not again as missing.
        var written: [String: Set<String>] = [:]
        for language in languages {
            let path = "\(displayPath)/\(language).yml"
            guard let text = TextFile.text(at: directory.appendingPathComponent("\(language).yml"), path: path, inside: theme, diagnostics: &diagnostics) else { continue }
            hash.add(language)
            hash.add(text)
            let document = YAMLDocument(text: text, path: path, diagnostics: &diagnostics)
            guard let mapping = document.rootMapping(diagnostics: &diagnostics) else { continue }
            var table: [String: String] = [:]
            for (key, node, value) in mapping.entries {
                written[language, default: []].insert(key)
                guard case let .scalar(scalar) = value else {
                    diagnostics.error("interface string '\(key)' must be a single text", at: document.location(of: node))
                    continue
                }
                table[key] = scalar.string
                if keyNodes[key] == nil { keyNodes[key] = document.location(of: node) }
            }
            strings[language] = table
        }
        let allKeys = Set(strings.values.flatMap(\.keys))
        for language in languages {
            guard strings[language] != nil else { continue }
            for key in allKeys.subtracting(written[language] ?? []).sorted() {
                diagnostics.error("interface string '\(key)' has no '\(language)' text (it is defined at \(keyNodes[key].map { "\($0.path):\($0.line)" } ?? "another file"))", at: SourceLocation(path: "\(displayPath)/\(language).yml", line: 1, column: 1))
            }
        }
        return strings
    }

    /// Assets are published byte for byte, so they too must live inside the theme.
    private static func loadAssets(_ directory: URL, displayPath: String, theme: URL, diagnostics: inout Diagnostics) -> [String: Data] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [:] }
        var assets: [String: Data] = [:]
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let url = directory.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               let bytes = TextFile.bytes(at: url, path: displayPath + "/" + relative, inside: theme, diagnostics: &diagnostics) {
                assets[relative] = Data(bytes)
            }
        }
        return assets
    }
}
