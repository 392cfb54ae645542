/// A Markdown page in one language, rendered once to HTML at load time.
public struct PageVersion: Sendable {
    public let language: String
    public let title: String
    public let summary: String?
    public let weight: Int
    public let date: Day?
    /// The HTML fragment cmark produced.
    public let html: String
    public let sourcePath: String
}

/// All language versions of one Markdown page, keyed by its site path.
public struct Page: Sendable {
    /// `plan/targets` for `pages/plan/targets.LANG.md`; `plan` for `pages/plan/index.LANG.md`;
    /// empty for the top-level `index`, which is the home page's introduction.
    public let key: String
    public let versions: [String: PageVersion]

    /// Where a language that has no version of its own borrows from.
    public func version(for language: String, languages: [String]) -> (version: PageVersion, isTranslation: Bool)? {
        if let own = versions[language] { return (own, true) }
        for other in languages { if let borrowed = versions[other] { return (borrowed, false) } }
        return nil
    }

    /// Texts shown on the generated pollutant pages rather than published as pages of their own.
    public var isPollutantText: Bool { key == "pollutants" || key.hasPrefix("pollutants/") }

    /// The folder the page stands in, empty at the top.
    public var parentKey: String {
        guard let slash = key.lastIndex(of: "/") else { return "" }
        return String(key[..<slash])
    }

    public var weight: Int { versions.values.map(\.weight).min() ?? 0 }
}
