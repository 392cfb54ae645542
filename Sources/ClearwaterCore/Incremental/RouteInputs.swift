import Foundation

/// What each page is made from, as one digest per route: the next build renders a page again
/// only when its digest changed. A page's digest covers the site-wide inputs every page reads
/// (settings, vocabulary, theme, menu, reference day) and the records of its own subject.
///
/// Only the page kinds that come by the thousand (enterprises, Markdown pages) get a digest;
/// the few pages that summarise the whole data are rendered on every build and written only
/// when their bytes differ, which keeps this list short enough to be obviously right.
struct RouteInputs: Sendable {
    let site: Site
    private let siteWide: String

    /// - Parameter configuration: digest of the `site.yml` and `vocabulary.yml` text the site was loaded from.
    init(site: Site, theme: Theme, configuration: String) {
        self.site = site
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

    /// `nil` when the page is rendered on every build.
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
        default:
            return nil
        }
        return hash.hex
    }

    private func add(_ page: Page, to hash: inout StableHash) {
        hash.add(page.key)
        hash.add(page.versions.values.sorted(by: { $0.language < $1.language }))
    }
}
