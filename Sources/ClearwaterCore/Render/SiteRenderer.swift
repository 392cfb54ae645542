import Foundation

/// Route and render: every output file of the site, pages rendered in parallel and returned in path order.
public struct SiteRenderer: Sendable {
    public let site: Site
    public let theme: Theme

    public init(site: Site, theme: Theme) {
        self.site = site
        self.theme = theme
    }

    public func render() async -> [OutputFile] {
        let routes = Router().routes(for: site)
        let renderer = PageRenderer(site: site, theme: theme)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = max(1, (routes.count + workers * 4 - 1) / (workers * 4))
        var pages: [OutputFile] = []
        await withTaskGroup(of: [OutputFile].self) { group in
            for start in stride(from: 0, to: routes.count, by: chunkSize) {
                let chunk = routes[start..<min(start + chunkSize, routes.count)]
                group.addTask { chunk.map(renderer.render) }
            }
            for await rendered in group { pages.append(contentsOf: rendered) }
        }
        var files = pages
        files += OpenData.files(for: site, theme: theme)
        files += site.settings.languages.map { language in
            Feed(environment: PageEnvironment(site: site, theme: theme, route: renderer.router.route(.updates, in: language), router: renderer.router)).file()
        }
        files.append(SearchIndex(site: site, theme: theme, router: renderer.router).file())
        files.append(OutputFile(path: Snapshot.path, contents: Snapshot(site: site, changes: site.changeLog).encoded()))
        files.append(Sitemap.file(routes: routes, settings: site.settings))
        files += theme.assets.map { OutputFile(path: "assets/" + $0.key, contents: $0.value) }
        return files.sorted { $0.path < $1.path }
    }
}
