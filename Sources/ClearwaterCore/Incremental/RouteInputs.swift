import Foundation

/// What each output file is made from, as one digest: the next build makes a file again only
/// when its digest changed. Every digest covers the site-wide inputs every page reads
/// (the Clearwater executable, settings, vocabulary, theme, menu, reference day); then
///
/// - an enterprise page: that enterprise's records;
/// - a Markdown page: its versions, children, parent, and the targets when it embeds a view;
/// - a page or download that summarises the data: the text of every data file as read (and the
///   build day), plus the change log where it shows changes and the Markdown page it embeds
///   (the home page's intro, a pollutant's text) — coarse, so the list stays obviously right:
///   an edit to any row makes all of them again, an edit to a Markdown page none of them;
/// - the blacklist: the violations and the enterprises they name;
/// - a pollutant's page, the one summary at province scale that is slow to make: that metal's
///   disclosures, the enterprises, its targets and its text; a district's page: its
///   enterprises' records and places in name order; the directory and the pollutants overview,
///   which total the latest year only: the enterprises and that year's disclosures, so a
///   corrected figure of an earlier year leaves two ten-megabyte pages alone; the search
///   index: the enterprises and the Markdown pages;
/// - the sitemap: every page's path, which with the languages says all it lists (at province
///   scale it took 26 ms to make, after every edit);
/// - the theme's assets: nothing — they are made every time, in a millisecond.
struct RouteInputs: Sendable {
    let site: Site
    private let siteWide: String
    /// Digest of the data files as read (see `ContentLoader.Result.dataDigest`).
    private let data: String
    /// What each dataset read is made from (`ContentLoader.Result.datasetDigests`).
    private let datasets: [String: String]
    private let changeLog: String
    private let records: RecordDigests
    private let latestYear: Int?
    /// Each enterprise's chunk key, by its id (`chunkKeys`).
    let chunkKey: @Sendable (String) -> ContentDigest?
    /// Each Markdown page's versions, by key: hashed once, where each of a page's routes hashed
    /// it, its children and its parent again, whole texts and all.
    private let pageDigests: [String: String]

    /// - Parameters:
    ///   - configuration: digest of the `site.yml` and `vocabulary.yml` text the site was loaded from.
    ///   - data: digest of the data files' text and the build day.
    ///   - chunkKey: `chunkKeys(configuration:records:)`, made once for the snapshot's amounts and the open data.
    init(site: Site, theme: Theme, configuration: String, data: String, datasets: [String: String], records: RecordDigests,
         chunkKey: @escaping @Sendable (String) -> ContentDigest?) {
        self.site = site
        self.data = data
        self.datasets = datasets
        self.records = records
        latestYear = site.latestYear
        self.chunkKey = chunkKey
        pageDigests = Dictionary(site.pages.map { page in
            var hash = StableHash()
            hash.add(page.key)
            hash.add(page.versions.values.sorted(by: { $0.language < $1.language }))
            return (page.key, hash.hex)
        }, uniquingKeysWith: { first, _ in first })
        var changes = StableHash()
        changes.add(site.changeLog)
        changeLog = changes.hex
        var hash = StableHash()
        hash.add(Self.renderer)
        hash.add(configuration)
        hash.add(theme.digest)
        hash.add(site.settings.baseURL.origin + site.settings.baseURL.path)
        hash.add(site.referenceDay)
        for page in site.pages where !page.key.utf8.contains(UInt8(ascii: "/")) {
            hash.add(page.key)
            hash.add(page.weight)
            for version in page.versions.values.sorted(by: { $0.language < $1.language }) {
                hash.add(version.language)
                hash.add(version.title)
            }
        }
        siteWide = hash.hex
    }

    /// By enterprise id, its records; by pollutant code, its disclosures, the enterprises and its
    /// targets. Made once for every language's page.
    struct RecordDigests: Sendable {
        let enterprises: [String: ContentDigest]
        let pollutants: [String: String]
        /// Every enterprise, and every disclosure of the latest year.
        let latestYear: String
        /// Every enterprise's own row.
        let allEnterprises: String

        /// - Parameters:
        ///   - parts: what each enterprise's own row and facilities make, kept or made by the loader.
        ///   - disclosures: the digests of the disclosures' rows (`DisclosuresText`), hashed
        ///     while the site model was made.
        init(site: Site, parts: EnterpriseParts, disclosures: DisclosuresText.Digests) {
            let header = disclosures.header
            var one = StableHash()
            var enterprises: [String: ContentDigest] = [:]
            enterprises.reserveCapacity(site.enterprises.count)
            // By index: a copy of each enterprise retained and released its dozen texts.
            for index in site.enterprises.indices {
                let id = site.enterprises[index].id
                guard enterprises[id] == nil else { continue }
                one.removeAll()
                one.add(parts.own[index])
                one.add(site.violationsByEnterprise[id] ?? [])
                one.add(header)
                if let rows = disclosures.enterprises[id] { one.add(rows) } else { one.add("") }
                enterprises[id] = one.digest
            }
            self.enterprises = enterprises
            let allEnterprises = parts.all.hex
            self.allEnterprises = allEnterprises
            latestYear = StableHash.hex(header, allEnterprises, site.latestYear.map(String.init) ?? "", disclosures.latestYear)
            pollutants = Dictionary(site.vocabulary.pollutants.keys.map { code in
                var hash = StableHash()
                hash.add(header)
                hash.add(disclosures.pollutants[code])
                hash.add(allEnterprises)
                hash.add(site.targets.filter { $0.pollutant == code })
                return (code, hash.hex)
            }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// What an enterprise's part of the open-data files and the snapshot is made from
    /// (`EnterpriseChunks`): its records, which hold its disclosures, and the program and
    /// configuration that write them. Known before the change log, which the snapshot's parts
    /// help find. Each hashed once, here: the two open-data files and the snapshot each asked
    /// for all ten thousand of a province's, a fiftieth of a second of a rebuild after one row.
    static func chunkKeys(configuration: String, records: RecordDigests) -> @Sendable (String) -> ContentDigest? {
        let context = StableHash.hex("open data", renderer, configuration)
        let keys = records.enterprises.mapValues { record in
            var hash = StableHash()
            hash.add(context)
            hash.add(record)
            return hash.digest
        }
        return { keys[$0] }
    }

    /// What a row of the search index is made from (`SearchRows`): the site-wide inputs, its
    /// language, and its enterprise's records or its page's versions; `nil` for an enterprise
    /// or page the site does not have.
    func searchRowKey(enterprise id: String, in language: String) -> UInt64? {
        records.enterprises[id].map { record in
            var hash = StableHash()
            for part in ["search row", siteWide, language, "enterprise"] { hash.add(part) }
            hash.add(record)
            return hash.word
        }
    }

    func searchRowKey(page key: String, in language: String) -> UInt64? {
        pageDigests[key].map { StableHash.word("search row", siteWide, language, "page", $0) }
    }

    /// What the rows of the summary tables are made from (`RowReuse`).
    var rowKeys: RowKeys {
        RowKeys(siteWide: siteWide, records: records.enterprises)
    }

    /// The program doing the rendering: after an upgrade every page is made again.
    private static let renderer = FileStamp.executable?.description ?? "unknown"

    /// What a data download depends on.
    enum DataFile {
        case openData, feeds, searchIndex, snapshot
    }

    func digest(for file: DataFile) -> ContentDigest {
        var hash = StableHash()
        hash.add(siteWide)
        switch file {
        case .openData:
            hash.add("open data")
            hash.add(data)
        case .feeds, .snapshot:
            hash.add(file == .feeds ? "feeds" : "snapshot")
            hash.add(data)
            hash.add(changeLog)
        case .searchIndex:
            // Names and labels, not figures: an amount changed leaves the index as it was.
            hash.add("search index")
            hash.add(records.allEnterprises)
            for page in site.pages { add(page, to: &hash) }
        }
        return hash.digest
    }

    /// What the open-data files of a dataset published whole are made from; `nil` for one whose
    /// file was not read.
    func digest(forDataset name: String) -> ContentDigest? {
        datasets[name].map { StableHash.digest(siteWide, "open data", name, $0) }
    }

    func digest(forSitemapOf routes: [Route]) -> ContentDigest {
        var hash = StableHash()
        hash.add(siteWide)
        hash.add("sitemap")
        for route in routes where route.language != nil { hash.add(route.path) }
        return hash.digest
    }

    func digest(for route: Route) -> ContentDigest? {
        var hash = StableHash()
        hash.add(siteWide)
        hash.add(route.language)
        hash.add(route.path)
        switch route.kind {
        case let .enterprise(id):
            guard let digest = records.enterprises[id] else { return nil }
            hash.add(digest)
        case let .markdown(key):
            guard let page = site.page(key) else { return nil }
            add(page, to: &hash)
            if page.versions.values.contains(where: { DatasetViews.hasTag($0.html) }) {
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
            hash.add(records.pollutants[code])
            if let text = site.page("pollutants/" + code) { add(text, to: &hash) }
        case .updates:
            hash.add(data)
            hash.add(changeLog)
        case let .district(key):
            // Its own enterprises rather than all data, like a pollutant's page: their records,
            // their places in name order, and the year the table shows. Each id is read where it
            // stands and the language's ranks found once: a province's districts copied all ten
            // thousand enterprises, twice, at every build.
            hash.add(latestYear ?? 0)
            let enterprises = site.enterprises(inDistrict: key), ranks = route.language.flatMap { site.nameRank[$0] }
            for index in enterprises.indices {
                let id = enterprises[index].id
                hash.add(id)
                hash.add(ranks?[id] ?? 0)
                if let record = records.enterprises[id] { hash.add(record) } else { hash.add("") }
            }
        case .enterprises, .pollutants:
            hash.add(records.latestYear)
        case .blacklist:
            // Its entries and their enterprises, and the reference day in `siteWide`: an edit to
            // the disclosures leaves a province's two blacklists, 300 KB each, alone.
            hash.add(datasets["violations"] ?? data)
        case .targets, .openData:
            hash.add(data)
        case .search, .notFound, .languageChooser:
            break
        }
        return hash.digest
    }

    private func add(_ page: Page, to hash: inout StableHash) {
        hash.add(pageDigests[page.key])
    }
}
