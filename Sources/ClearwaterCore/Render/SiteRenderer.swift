import Foundation

/// Route and render: every output file of the site, pages rendered in parallel.
public struct SiteRenderer: Sendable {
    public let site: Site
    public let theme: Theme
    let inputs: RouteInputs

    /// What a build produced: files rendered now (their bytes went to the sink), and the
    /// pages it kept from the previous build.
    struct Rendering: Sendable {
        /// Path → the digest of its inputs, when known, of each file rendered now.
        var rendered: [String: ContentDigest?] = [:]
        /// Path → the digest of its inputs, unchanged since the previous build, whose manifest
        /// lists each of them: a file is kept only where the previous build's is intact.
        var reused: [String: ContentDigest] = [:]
        /// Where each enterprise's rows are in the open-data files, made or kept.
        var chunks = EnterpriseChunks.Ranges()
        /// The SHA-256 states of the downloads whose digest the package gives, made or kept.
        var hashStates = EnterpriseChunks.HashStates()
        /// Where the rows of each page's summary tables are (`RenderedRows.encoded`), made or kept.
        var rows: [String: String] = [:]

        /// Every file the site publishes: a set of twenty thousand paths at province scale, made
        /// only where a build needs them all (`publishes` and `count` answer the rest).
        var paths: Set<String> { Set(rendered.keys).union(reused.keys) }
        /// A file is rendered or reused, never both.
        var count: Int { rendered.count + reused.count }

        func publishes(_ path: String) -> Bool {
            rendered[path] != nil || reused[path] != nil
        }
    }

    /// A previous build whose intact pages may be kept when their inputs are unchanged.
    struct Previous: Sendable {
        let manifest: BuildManifest
        /// The output folder's path.
        let output: String
        /// The output's files that no longer have the stamps the manifest records, all found at
        /// once (`BuildManifest.filesAltered(below:)`); `nil` to stamp each file when asked.
        let altered: Set<String>?

        init(manifest: BuildManifest, output: String, altered: Set<String>? = nil) {
            (self.manifest, self.output, self.altered) = (manifest, output, altered)
        }

        /// The previous build's file at `path` is still there, exactly as that build wrote it.
        func isIntact(_ path: String) -> Bool {
            manifest.entries[path].map { isIntact(path, listedAs: $0) } ?? false
        }

        /// The file can be kept without rendering: it was made from the same inputs and is intact.
        func canReuse(_ path: String, inputs: ContentDigest) -> Bool {
            guard let entry = manifest.entries[path], entry.inputs == inputs else { return false }
            return isIntact(path, listedAs: entry)
        }

        /// Its entry looked up once: a rebuild asks this of each of a province's 22,000 files.
        private func isIntact(_ path: String, listedAs entry: BuildManifest.Entry) -> Bool {
            if let altered { return altered.isEmpty || !altered.contains(path) }
            return FileStamp(path: output + "/" + path) == entry.stamp
        }

        /// The page's bytes and its rows, when the manifest records them and vouches for the page.
        func rows(of path: String) -> PreviousRows? {
            guard let encoded = manifest.rows[path], isIntact(path), let rows = RenderedRows(encoded: encoded),
                  let file = MappedFile(readingAt: output + "/" + path) else { return nil }
            return PreviousRows(file: file, rows: rows)
        }
    }

    /// What this build publishes for the next one to compare with, and its amounts.
    let snapshot: Snapshot
    let amounts: PublishedAmounts
    /// Where the search index's rows are kept between builds; read only over a previous build.
    let searchRows: SearchRows.Store?

    init(site: Site, theme: Theme, snapshot: Snapshot, amounts: PublishedAmounts, inputs: RouteInputs, searchRows: SearchRows.Store? = nil) {
        self.site = site
        self.theme = theme
        self.snapshot = snapshot
        self.amounts = amounts
        self.inputs = inputs
        self.searchRows = searchRows
    }

    /// Renders in parallel and hands each file to `sink` as soon as it is made.
    func render(reusing previous: Previous?, into sink: @escaping @Sendable (OutputFile) throws -> Void) async throws -> Rendering {
        let routes = Router().routes(for: site)
        let renderer = PageRenderer(site: site, theme: theme, rowKeys: inputs.rowKeys)
        // The pages that summarise every enterprise take a tenth of a second or more each at
        // province scale: each is a task of its own, queued before the chunks of small pages,
        // so that no long page is left for last while the other core has nothing to do.
        let (summaries, pages) = (routes.filter(\.summarisesEnterprises), routes.filter { !$0.summarisesEnterprises })
        // A few dozen milliseconds of pages per task: with four tasks per core, the last one
        // at province scale kept a core busy for a third of a second after the other was done.
        let chunkSize = 100
        let jobs = dataFiles(routes: routes, router: renderer.router, previous: previous)
        var rendering = Rendering()
        // Room for every file at once: grown part by part, a province's tables were copied
        // whole each time they filled, the last time after the last page, on one core.
        let files = routes.count + jobs.reduce(0) { $0 + $1.paths.count }
        rendering.rendered.reserveCapacity(files)
        rendering.reused.reserveCapacity(files)
        try await withThrowingTaskGroup(of: Rendering.self) { group in
            // The data files first: a few long tasks, which the page chunks then fill in around.
            for job in jobs {
                group.addTask {
                    var part = Rendering()
                    if let previous, job.paths.allSatisfy({ path in job.digest(for: path).map { previous.canReuse(path, inputs: $0) } ?? false }) {
                        for path in job.paths {
                            part.reused[path] = job.digest(for: path)
                            part.chunks[path] = previous.manifest.chunks[path]
                            part.hashStates[path] = previous.manifest.hashStates[path]
                        }
                        return part
                    }
                    let made = try job.make { file in
                        try sink(file)
                        part.rendered[file.path] = .some(job.digest(for: file.path))
                    }
                    (part.chunks, part.hashStates) = (made.ranges, made.hashStates)
                    // What the job did not make, it kept (`DataFilesJob.keptFile`).
                    for path in job.paths where part.rendered[path] == nil {
                        part.reused[path] = job.digest(for: path)
                    }
                    return part
                }
            }
            let chunks = summaries.map { [$0][...] } + stride(from: 0, to: pages.count, by: chunkSize).map { pages[$0..<min($0 + chunkSize, pages.count)] }
            for chunk in chunks {
                group.addTask {
                    var part = Rendering()
                    // The chunk's pages run on one thread: their interface strings are its own,
                    // copied once the first of them is made again (a rebuild keeps most chunks whole).
                    var ownTheme: Theme?
                    for route in chunk {
                        let digest = inputs.digest(for: route)
                        if let digest, let previous, previous.canReuse(route.outputPath, inputs: digest) {
                            part.reused[route.outputPath] = digest
                            // Only pages that summarise enterprises have rows to keep (`RowReuse`).
                            if route.summarisesEnterprises { part.rows[route.outputPath] = previous.manifest.rows[route.outputPath] }
                        } else {
                            if ownTheme == nil { ownTheme = renderer.theme.unshared() }
                            let (file, rows) = renderer.render(route, previous: previous?.rows(of: route.outputPath), ownTheme: ownTheme)
                            try sink(file)
                            part.rendered[route.outputPath] = digest
                            if !rows.rows.isEmpty { part.rows[route.outputPath] = rows.encoded }
                        }
                    }
                    return part
                }
            }
            for try await part in group {
                rendering.rendered.merge(part.rendered) { first, _ in first }
                rendering.reused.merge(part.reused) { first, _ in first }
                rendering.chunks.merge(part.chunks) { first, _ in first }
                rendering.hashStates.merge(part.hashStates) { first, _ in first }
                rendering.rows.merge(part.rows) { first, _ in first }
            }
        }
        return rendering
    }

    /// A job that makes files besides the HTML pages: the paths it makes and the digest of its
    /// inputs, when it has one, so an unchanged job is skipped like an unchanged page.
    private struct DataFilesJob: Sendable {
        let paths: [String]
        let digest: ContentDigest?
        /// Files made from less than the job's inputs, by path: each is kept on its own while
        /// its own digest is unchanged, and the job leaves it out (`keptFile`).
        var fileDigests: [String: ContentDigest] = [:]
        /// Hands each file over as soon as it is made, so that at most one is held at a time;
        /// returns where each enterprise's rows went in files published enterprise by enterprise,
        /// and the SHA-256 states of those whose digest the data package gives.
        let make: @Sendable (_ emit: (OutputFile) throws -> Void) throws -> EnterpriseChunks.Made

        func digest(for path: String) -> ContentDigest? {
            fileDigests[path] ?? digest
        }

        /// Where the previous build's file at `path` lies, when the job should keep it rather
        /// than make it: its own digest is the one that made it, and it is intact.
        static func keptFile(_ path: String, digests: [String: ContentDigest], previous: Previous?) -> String? {
            guard let digest = digests[path], let previous, previous.canReuse(path, inputs: digest) else { return nil }
            return previous.output + "/" + path
        }

        init(paths: [String], digest: ContentDigest?, make: @escaping @Sendable (_ emit: (OutputFile) throws -> Void) throws -> Void) {
            self.init(paths: paths, digest: digest, recordingChunks: { emit in
                try make(emit)
                return EnterpriseChunks.Made()
            })
        }

        private init(paths: [String], digest: ContentDigest?, recordingChunks make: @escaping @Sendable (_ emit: (OutputFile) throws -> Void) throws -> EnterpriseChunks.Made) {
            (self.paths, self.digest, self.make) = (paths, digest, make)
        }

        /// Files published enterprise by enterprise.
        static func chunked(paths: [String], digest: ContentDigest?, fileDigests: [String: ContentDigest] = [:],
                            make: @escaping @Sendable (_ emit: (OutputFile) throws -> Void) throws -> EnterpriseChunks.Made) -> DataFilesJob {
            var job = DataFilesJob(paths: paths, digest: digest, recordingChunks: make)
            job.fileDigests = fileDigests
            return job
        }
    }

    /// Everything besides the HTML pages, as independent jobs so they run beside the pages.
    private func dataFiles(routes: [Route], router: Router, previous: Previous?) -> [DataFilesJob] {
        let (site, theme, snapshot, amounts, inputs, searchRows) = (site, theme, snapshot, amounts, inputs, searchRows)
        let languages = site.settings.languages
        let chunks = EnterpriseChunks(key: inputs.chunkKey, previous: previous)
        // The datasets published whole, each from its own file: a changed disclosure row leaves
        // them as they were. The disclosures keep their unchanged enterprises' bytes instead.
        var datasetFiles: [String: ContentDigest] = [:]
        for dataset in OpenData.datasets where dataset.enterpriseRuns == nil {
            guard let digest = inputs.digest(forDataset: dataset.name) else { continue }
            datasetFiles["data/\(dataset.name).csv"] = digest
            datasetFiles["data/\(dataset.name).json"] = digest
        }
        let kept: @Sendable (String) -> String? = { [datasetFiles] in DataFilesJob.keptFile($0, digests: datasetFiles, previous: previous) }
        return [
            .chunked(paths: OpenData.csvPaths, digest: inputs.digest(for: .openData), fileDigests: datasetFiles) {
                try OpenData.writeCSV(for: site, theme: theme, chunks: chunks, keeping: kept, to: $0)
            },
            .chunked(paths: OpenData.jsonPaths, digest: inputs.digest(for: .openData), fileDigests: datasetFiles) {
                try OpenData.writeJSON(for: site, chunks: chunks, keeping: kept, to: $0)
            },
            DataFilesJob(paths: languages.map(Feed.path), digest: inputs.digest(for: .feeds)) { emit in
                for language in languages {
                    try emit(Feed(environment: PageEnvironment(site: site, theme: theme, route: router.route(.updates, in: language), router: router)).file())
                }
            },
            DataFilesJob(paths: [SearchIndex.path], digest: inputs.digest(for: .searchIndex)) { emit in
                let (file, rows) = SearchIndex(site: site, router: router).file(keeping: previous == nil ? nil : searchRows?.read(), keys: inputs)
                try emit(file)
                searchRows?.write(rows)
            },
            .chunked(paths: [Snapshot.path], digest: inputs.digest(for: .snapshot)) { emit in
                var parts: [ContentDigest: Range<Int>] = [:]
                let previous = chunks.previousFile(Snapshot.path)
                let json = snapshot.encoded(reservingCapacity: previous.map { $0.size + $0.size / 8 } ?? 0) {
                    parts = amounts.appendJSON(to: &$0, previous: previous)
                }
                try emit(OutputFile(path: Snapshot.path, contents: json))
                return EnterpriseChunks.Made(ranges: parts.isEmpty ? [:] : [Snapshot.path: parts])
            },
            DataFilesJob(paths: ["sitemap.xml"], digest: inputs.digest(forSitemapOf: routes)) { try $0(Sitemap.file(routes: routes, settings: site.settings)) },
            DataFilesJob(paths: theme.assets.keys.map { "assets/" + $0 }, digest: nil) { emit in
                for (name, contents) in theme.assets { try emit(OutputFile(path: "assets/" + name, contents: Array(contents))) }
            },
        ]
    }
}

private extension Route {
    /// Lists or totals every enterprise, or a district's or a metal's share of them.
    var summarisesEnterprises: Bool {
        switch kind {
        case .enterprises, .pollutants, .pollutant, .district: true
        default: false
        }
    }
}
