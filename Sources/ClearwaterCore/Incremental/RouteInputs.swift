import Foundation

/// What each output file is made from, as one digest: the next build makes a file again only
/// when its digest changed. Every digest covers the site-wide inputs every page reads
/// (settings, vocabulary, theme, menu, reference day); then
///
/// - an enterprise page: that enterprise's records;
/// - a Markdown page: its versions, children, parent, and the targets when it embeds a view;
/// - a page or download that summarises the data: the text of every data file as read (and the
///   build day), plus the change log where it shows changes and the Markdown page it embeds
///   (the home page's intro, a pollutant's text) — coarse, so the list stays obviously right:
///   an edit to any row makes all of them again, an edit to a Markdown page none of them;
/// - a pollutant's page, the one summary at province scale that is slow to make: that metal's
///   disclosures, the enterprises, its targets and its text;
/// - the sitemap and the theme's assets: nothing — they are made every time, in milliseconds.
struct RouteInputs: Sendable {
    let site: Site
    private let siteWide: String
    /// Digest of the data files as read, and of the change log.
    private let data: String
    private let changeLog: String

    /// - Parameters:
    ///   - configuration: digest of the `site.yml` and `vocabulary.yml` text the site was loaded from.
    ///   - data: digest of the data files' text and the build day.
    init(site: Site, theme: Theme, configuration: String, data: String) {
        self.site = site
        self.data = data
        var changes = StableHash()
        for change in site.changeLog {
            changes.add(change.date); changes.add(change.kind.rawValue); changes.add(change.enterpriseID)
            changes.add(Localized(change.enterpriseName)); changes.add(change.year); changes.add(change.pollutant)
            changes.add(change.medium); changes.add(change.violationID); changes.add(change.before); changes.add(change.after)
        }
        changeLog = changes.hex
        var hash = StableHash()
        hash.add(configuration)
        hash.add(theme.digest)
        hash.add(site.settings.baseURL.origin + site.settings.baseURL.path)
        hash.add(site.referenceDay)
        for page in site.pages where !page.key.contains("/") {
            hash.add(page.key)
            hash.add(page.weight)
            for version in page.versions.values.sorted(by: { $0.language < $1.language }) {
                hash.add(version.language)
                hash.add(version.title)
            }
        }
        siteWide = hash.hex
    }

    /// What a data download depends on.
    enum DataFile {
        case openData, feeds, searchIndex, snapshot
    }

    func digest(for file: DataFile) -> String {
        var hash = StableHash()
        hash.add(siteWide)
        hash.add(data)
        switch file {
        case .openData: hash.add("open data")
        case .feeds, .snapshot:
            hash.add(file == .feeds ? "feeds" : "snapshot")
            hash.add(changeLog)
        case .searchIndex:
            hash.add("search index")
            for page in site.pages { add(page, to: &hash) }
        }
        return hash.hex
    }

    func digest(for route: Route) -> String? {
        var hash = StableHash()
        hash.add(siteWide)
        hash.add(route.language)
        hash.add(route.path)
        switch route.kind {
        case let .enterprise(id):
            guard let enterprise = site.enterpriseByID[id] else { return nil }
            enterprise.add(to: &hash)
            hash.add(site.disclosuresByEnterprise[id] ?? [])
            hash.add(site.facilitiesByEnterprise[id] ?? [])
            hash.add(site.violationsByEnterprise[id] ?? [])
        case let .markdown(key):
            guard let page = site.page(key) else { return nil }
            add(page, to: &hash)
            if page.versions.values.contains(where: { $0.html.contains(DatasetViews.tagStart) }) {
                hash.add(site.targets)
            }
            for child in site.children(of: key) { add(child, to: &hash) }
            if let parent = site.page(page.parentKey), !page.parentKey.isEmpty { add(parent, to: &hash) }
        case .home:
            hash.add(data)
            hash.add(changeLog)
            if let intro = site.page("") { add(intro, to: &hash) }
        case let .pollutant(code):
            // Its own disclosures rather than all data: one changed row makes one metal's pages again, not five.
            hash.add(site.disclosuresByPollutant[code] ?? [])
            hash.add(site.enterprises)
            hash.add(site.targets.filter { $0.pollutant == code })
            if let text = site.page("pollutants/" + code) { add(text, to: &hash) }
        case .updates:
            hash.add(data)
            hash.add(changeLog)
        case .enterprises, .pollutants, .blacklist, .targets, .openData, .district:
            hash.add(data)
        case .search, .notFound, .languageChooser:
            break
        }
        return hash.hex
    }

    private func add(_ page: Page, to hash: inout StableHash) {
        hash.add(page.key)
        hash.add(page.versions.values.sorted(by: { $0.language < $1.language }))
    }
}
