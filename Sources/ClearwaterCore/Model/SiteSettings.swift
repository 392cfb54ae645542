/// `site.yml`, checked and typed.
public struct SiteSettings: Sendable {
    public var title: Localized
    public var description: Localized
    public var publisher: Localized
    public var baseURL: BaseURL
    public var dataAsOf: Day?
    public var contact: Localized?
    public var siteCode: String?
    public var icpRecord: String?
    public var policeRecord: String?
    /// The first is the default language.
    public var languages: [String]
    public var theme: String
    public var unsafeHTML: Bool
    /// Shows a notice on every page with per-enterprise figures that they are examples.
    public var illustrativeData: Bool
    /// Encodings declared for files that are not UTF-8.
    public var encodings: FileEncodings = FileEncodings()

    public var defaultLanguage: String { languages.first ?? "en" }
}

/// `encoding:` in `site.yml`: one name for every data file (`encoding: gb18030`), or a map from
/// paths inside the content folder to names (`encoding: { data/disclosures.csv: gb18030 }`).
public struct FileEncodings: Sendable, Equatable {
    public var dataFiles: TextEncoding?
    public var byPath: [String: TextEncoding] = [:]

    /// What to decode the file at `relativePath` (inside the content folder) as; `nil` is UTF-8.
    public func encoding(for relativePath: String) -> TextEncoding? {
        byPath[relativePath] ?? (relativePath.hasPrefix("data/") ? dataFiles : nil)
    }
}

/// The absolute address the site is published at, split so pages can link under a sub-path.
public struct BaseURL: Sendable, Equatable {
    /// `https://example.org`
    public let origin: String
    /// `/disclosure/`: always starts and ends with `/`.
    public let path: String

    public init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let host = rest[..<hostEnd]
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }) else { return nil }
        var path = String(rest[hostEnd...])
        if path.contains("?") || path.contains("#") || path.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }) { return nil }
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        origin = "\(scheme)://\(host)"
        self.path = path
    }

    /// The absolute URL of a site path such as `en/targets/`.
    public func absolute(_ sitePath: String) -> String { origin + path + sitePath }
}
