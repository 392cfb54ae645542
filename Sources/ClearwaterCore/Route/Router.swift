/// The one routing table: every page the site publishes, derived from the model alone.
public struct Router: Sendable {
    public init() {}

    public func routes(for site: Site) -> [Route] {
        var routes = [Route(kind: .languageChooser, language: nil, path: ""), Route(kind: .notFound, language: nil, path: "404.html")]
        for language in site.settings.languages {
            for kind in kinds(for: site) {
                routes.append(Route(kind: kind, language: language, path: language + "/" + Self.path(of: kind)))
            }
        }
        return routes
    }

    /// The same page in another language: the language switch and `hreflang` links use it.
    public func route(_ kind: PageKind, in language: String) -> Route {
        Route(kind: kind, language: language, path: language + "/" + Self.path(of: kind))
    }

    private func kinds(for site: Site) -> [PageKind] {
        var kinds: [PageKind] = [.home, .enterprises, .pollutants, .blacklist, .targets, .openData, .updates, .search]
        kinds += site.enterprises.map { .enterprise(id: $0.id) }
        kinds += site.vocabulary.pollutants.keys.map { .pollutant(code: $0) }
        kinds += site.districtsInUse.map { .district(key: $0) }
        kinds += site.pages.filter { !$0.key.isEmpty && !$0.isPollutantText }.map { .markdown(key: $0.key) }
        return kinds
    }

    /// The path below the language folder.
    static func path(of kind: PageKind) -> String {
        switch kind {
        case .languageChooser, .home: ""
        case .enterprises: "enterprises/"
        case let .enterprise(id): "enterprises/\(id)/"
        case .pollutants: "pollutants/"
        case let .pollutant(code): "pollutants/\(code)/"
        case .blacklist: "blacklist/"
        case .targets: "targets/"
        case .openData: "data/"
        case .updates: "updates/"
        case .search: "search/"
        case let .district(key): "districts/\(key)/"
        case let .markdown(key): key + "/"
        case .notFound: "404.html"
        }
    }
}
