import Foundation

/// Renders one route to HTML: the page kind's own template, then the shared layout around it.
/// Each call reads only the immutable site and theme, so routes render in parallel.
public struct PageRenderer: Sendable {
    public let site: Site
    public let theme: Theme
    let router = Router()
    /// What pages show the same in every language (`SharedFigures`): each metal's figures, every
    /// metal's latest year's total for the pollutants overview (one figure, made in one pass,
    /// under key 0), and each district's yearly totals.
    private let pollutantFigures = SharedFigures<String, PollutantFigures>()
    private let latestTotals = SharedFigures<Int, [String: Decimal]>()
    private let districtTotals = SharedFigures<String, [EmissionTotals.YearTotals]>()
    /// What the rows of the summary tables are made from, for a build that keeps them (`RowReuse`).
    let rowKeys: RowKeys?

    public init(site: Site, theme: Theme) {
        self.init(site: site, theme: theme, rowKeys: nil)
    }

    init(site: Site, theme: Theme, rowKeys: RowKeys?) {
        self.site = site
        self.theme = theme
        self.rowKeys = rowKeys
    }

    public func render(_ route: Route) -> OutputFile {
        render(route, previous: nil).file
    }

    /// The page, and where the rows of its summary tables went; `previous`: the page's
    /// previous build, whose unchanged rows are copied; `ownTheme`: this theme with its
    /// interface strings in storage of the caller's thread (`Theme.unshared`).
    func render(_ route: Route, previous: PreviousRows?, ownTheme: Theme? = nil) -> (file: OutputFile, rows: RenderedRows) {
        let environment = PageEnvironment(site: site, theme: ownTheme ?? theme, route: route, router: router, rowKeys: rowKeys, previousRows: previous)
        let (template, title, context, showsFigures) = body(for: route, environment)
        var page = layoutContext(environment, title: title, showsFigures: showsFigures)
        page["page"] = context
        // Room made for the page as the previous build left it, and for the layout around it.
        let body = theme.templates.renderOutput(template, page, reservingCapacity: previous?.size ?? 0)
        page["body"] = RenderedHTML(bytes: body.bytes)
        let html = theme.templates.renderOutput(route.language == nil ? template : "layout", page, reservingCapacity: body.bytes.count + (16 << 10))
        let rows = route.language == nil ? html.rows : html.embeddedAt.map { body.rows.shifted(by: $0) } ?? RenderedRows()
        return (OutputFile(path: route.outputPath, contents: html.bytes), rows)
    }

    /// The page kind's template, title and context, and whether it shows per-enterprise figures.
    private func body(for route: Route, _ environment: PageEnvironment) -> (String, String, [String: Any], Bool) {
        let t: (String) -> String = environment.t
        switch route.kind {
        case .languageChooser:
            return ("chooser", site.settings.title.text(in: site.settings.defaultLanguage), [:], false)
        case .notFound:
            return ("not-found", "404", [:], false)
        case .home:
            return ("home", environment.text(site.settings.title), HomePage(environment: environment).context(), true)
        case .enterprises:
            return ("enterprises", t("enterprises"), EnterprisesPage(environment: environment).context(), true)
        case let .enterprise(id):
            guard let enterprise = site.enterpriseByID[id] else { return ("not-found", "404", [:], false) }
            return ("enterprise", environment.text(enterprise.name), EnterprisePage(environment: environment, enterprise: enterprise).context(), true)
        case .pollutants:
            return ("pollutants", t("pollutants"), PollutantsPage(environment: environment, latestTotals: latestTotals.value(for: 0) {
                PollutantsPage.latestTotals(in: site)
            }).context(), true)
        case let .pollutant(code):
            return ("pollutant", environment.label(site.vocabulary.pollutants, code), PollutantPage(environment: environment, code: code, figures: pollutantFigures.value(for: code) { PollutantFigures(site.disclosures(ofPollutant: code)) }).context(), true)
        case .blacklist:
            return ("blacklist", t("blacklist"), BlacklistPage(environment: environment).context(), true)
        case .targets:
            return ("targets", t("targets"), TargetsPage(environment: environment).context(), false)
        case .openData:
            return ("open-data", t("open_data"), OpenDataPage(environment: environment).context(), true)
        case .search:
            return ("search", t("search"), ["indexHref": environment.href(sitePath: SearchIndex.path)], false)
        case .updates:
            return ("updates", t("updates"), UpdatesPage(environment: environment).context(), true)
        case let .district(key):
            return ("district", environment.label(site.vocabulary.districts, key), DistrictPage(environment: environment, key: key, yearly: districtTotals.value(for: key) { DistrictPage.yearlyTotals(of: key, in: site) }).context(), true)
        case let .markdown(key):
            guard let page = site.page(key), let context = MarkdownPage(environment: environment, page: page).context() else {
                return ("not-found", "404", [:], false)
            }
            return ("page", context["title"] as? String ?? key, context, false)
        }
    }

    private func layoutContext(_ environment: PageEnvironment, title: String, showsFigures: Bool) -> [String: Any] {
        let settings = site.settings
        let language = environment.language
        let route = environment.route
        let siteTitle = environment.text(settings.title)
        let counterparts = settings.languages.map { other -> [String: Any] in
            let target = router.route(route.language == nil ? .home : route.kind, in: other)
            return [
                "hreflang": PageEnvironment.htmlLanguage(other),
                "absolute": settings.baseURL.absolute(target.path),
                "href": environment.href(sitePath: target.path),
                "name": environment.theme.strings[other]?["language_name"] ?? other,
                "current": other == language,
                "homeHref": environment.href(.home, in: other),
                "t": environment.theme.strings[other] ?? [:],
            ]
        }
        return [
            "lang": language,
            "htmlLang": PageEnvironment.htmlLanguage(language),
            "title": title,
            "siteTitle": siteTitle,
            "fullTitle": title == siteTitle ? siteTitle : "\(title) – \(siteTitle)",
            "description": environment.text(settings.description),
            "root": environment.root,
            "canonical": settings.baseURL.absolute(route.path),
            "languages": counterparts,
            "defaultHref": environment.href(.home, in: settings.defaultLanguage),
            "menu": menu(environment),
            "t": environment.strings,
            "illustrative": settings.illustrativeData && showsFigures,
            "dataAsOf": settings.dataAsOf?.description ?? "",
            "publisher": environment.text(settings.publisher),
            "contact": environment.text(settings.contact),
            "siteCode": settings.siteCode ?? "",
            "icpRecord": settings.icpRecord ?? "",
            "policeRecord": settings.policeRecord ?? "",
            "homeHref": environment.href(.home),
            "searchHref": environment.href(.search),
            "feedHref": environment.href(sitePath: language + "/feed.xml"),
        ]
    }

    /// Fixed sections first, then top-level Markdown pages by weight, open data last.
    private func menu(_ environment: PageEnvironment) -> [[String: Any]] {
        let current = environment.route.kind
        var items: [(PageKind, String)] = [
            (.home, environment.t("home")), (.enterprises, environment.t("enterprises")),
            (.pollutants, environment.t("pollutants")), (.targets, environment.t("targets")),
            (.blacklist, environment.t("blacklist")),
        ]
        for page in site.menuPages {
            if let (version, _) = page.version(for: environment.language, languages: environment.languages) {
                items.append((.markdown(key: page.key), version.title))
            }
        }
        items.append((.openData, environment.t("open_data")))
        return items.map { kind, label in
            [
                "label": label,
                "href": environment.href(kind),
                "current": kind == current || isInside(current, section: kind),
            ]
        }
    }

    private func isInside(_ kind: PageKind, section: PageKind) -> Bool {
        switch (kind, section) {
        case (.enterprise, .enterprises), (.pollutant, .pollutants): true
        case let (.markdown(key), .markdown(sectionKey)): key.hasPrefix(sectionKey + "/")
        default: false
        }
    }
}
