import Foundation

/// Load and validate: reads every file of a content folder and returns the immutable `Site`,
/// or every problem found, each located in its file.
public struct ContentLoader: Sendable {
    /// Where the content lives, and how to name it in diagnostics (the path the user typed).
    public let directory: URL
    public let displayPath: String
    /// The build date: embargoed rows and future-dated pages wait for it, and the blacklist is
    /// judged on it when `data_as_of` is not set.
    public let today: Day
    /// `--base-url`, which wins over `site.yml`.
    public let baseURLOverride: BaseURL?
    /// Where the disclosures a previous build decoded are kept, for a build to decode only the
    /// rows that changed since; `nil` decodes every row.
    let decodedDisclosures: URL?
    /// Where the name order a previous build worked out is kept; `nil` works it out.
    let nameOrder: NameOrderStore?
    /// Where the pages a previous build decoded are kept; `nil` decodes every page.
    let decodedPages: DecodedPages.Store?
    /// Where the enterprises and facilities a previous build decoded are kept; `nil` decodes them.
    let decodedDatasets: URL?

    public init(directory: URL, displayPath: String, today: Day, baseURLOverride: BaseURL? = nil) {
        self.init(directory: directory, displayPath: displayPath, today: today, baseURLOverride: baseURLOverride, decodedDisclosures: nil, nameOrder: nil, decodedPages: nil,
                  decodedDatasets: nil)
    }

    init(directory: URL, displayPath: String, today: Day, baseURLOverride: BaseURL?, decodedDisclosures: URL?, nameOrder: NameOrderStore?, decodedPages: DecodedPages.Store?,
         decodedDatasets: URL?) {
        self.directory = directory
        self.displayPath = displayPath
        self.today = today
        self.baseURLOverride = baseURLOverride
        self.decodedDisclosures = decodedDisclosures
        self.nameOrder = nameOrder
        self.decodedPages = decodedPages
        self.decodedDatasets = decodedDatasets
    }

    /// The site when the content has no errors; the settings whenever `site.yml` could be read,
    /// so the theme can still be checked in the same run.
    public struct Result: Sendable {
        public let site: Site?
        public let settings: SiteSettings?
        public let diagnostics: Diagnostics
        /// Digest of the `site.yml` and `vocabulary.yml` text read, for incremental builds.
        let configurationDigest: String
        /// Digest of every data file's text as read, and of the build day (which embargoes
        /// compare with): the pages that summarise the data are the same when it is.
        let dataDigest: String
        /// What each dataset read is made from, by dataset name (`DataFileDigests.datasetDigests`).
        var datasetDigests: [String: String] = [:]
        /// The disclosures as decoded, with the text they were decoded from.
        var disclosuresText: DisclosuresText? = nil
        /// Where to keep `disclosuresText` for the next build to reuse, with `ordering`; `nil`
        /// when the store holds them already, or they cannot be reused.
        var disclosuresStore: DecodedDisclosures.Store? = nil
        /// The site's order of the rows, to keep with them.
        var ordering: KeptOrdering? = nil
        /// The digests of the disclosures' rows, for the record digests of an incremental build,
        /// with what they were made under, to keep with the rows.
        var rowDigests = DisclosuresText.Kept(withheld: "", latestYear: nil, digests: DisclosuresText.Digests())
        /// What the record digests take from the enterprises and facilities, kept or made.
        var enterpriseParts: EnterpriseParts? = nil
    }

    /// - Parameter modelling: make the site model once the content is found free of errors;
    ///   without it the result has no site, and no name order is worked out. `check` needs
    ///   neither: at province scale they were a tenth of its time.
    public func load(modelling: Bool = true) -> Result {
        var diagnostics = Diagnostics()
        var configuration = StableHash()
        let dataFiles = DataFileDigests()
        guard let settings = settings(hash: &configuration, diagnostics: &diagnostics) else {
            return Result(site: nil, settings: nil, diagnostics: diagnostics, configurationDigest: "", dataDigest: "")
        }
        let languages = settings.languages
        let vocabulary = yaml("vocabulary.yml", encoding: settings.encodings.encoding(for: "vocabulary.yml"), hash: &configuration, diagnostics: &diagnostics)
            .map { VocabularyDecoder(languages: languages).decode($0, diagnostics: &diagnostics) } ?? Vocabulary(codebooks: [:])

        // The disclosures are most of a province's data: read, and their kept rows decoded, from
        // here on, on a core of their own, while the enterprises they name are read on this one.
        var store = decodedDisclosures.flatMap { DecodedDisclosures.Store(location: $0, inputs: StableHash.hex(configuration.hex, today.description)) }
        let disclosuresRead = Parallel.start { [self, store] in
            var diagnostics = Diagnostics()
            let read = disclosuresTable(settings, store: store, diagnostics: &diagnostics)
            return (read, diagnostics)
        }
        let datasetsStore = decodedDatasets.flatMap { DecodedDatasets.Store(location: $0, inputs: StableHash.hex(configuration.hex, today.description)) }
        let keptDatasets = datasetsStore?.read()
        var keeping = DecodedDatasets()
        let enterpriseTable = table(EnterprisesDataset.fileName, EnterprisesDataset.columns, settings, digests: dataFiles, diagnostics: &diagnostics)
        let enterprisesDigest = dataFiles.digest(of: EnterprisesDataset.fileName)
        let decodedEnterprises = enterpriseTable.map { table -> DecodedDatasets.Enterprises in
            let decoded = Self.decoded(digest: enterprisesDigest, kept: keptDatasets?.enterprises, diagnostics: &diagnostics) { diagnostics in
                let (enterprises, withheld) = EnterprisesDataset(vocabulary: vocabulary, languages: languages).decode(table, diagnostics: &diagnostics)
                return DecodedDatasets.Enterprises(enterprises: enterprises, withheld: withheld)
            }
            keeping.enterprises = decoded.keep
            return decoded.value
        }
        let (enterprises, withheld) = (decodedEnterprises?.enterprises ?? [], decodedEnterprises?.withheld ?? [])
        // Rows of an embargoed enterprise are valid references but stay out with it.
        let unreadable = enterpriseTable == nil && FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/" + EnterprisesDataset.fileName).path)
        let ids = unreadable ? nil : Set(enterprises.map(\.id)).union(withheld)
        let idsDigest = StableHash.hex(ids.map { $0.sorted().joined(separator: "\n") } ?? "-")
        store?.enterprises = idsDigest
        // The disclosures go on on one core while the other datasets and the Markdown pages load
        // on the other.
        let ((disclosuresText, reusable, disclosureDiagnostics), (facilities, keepingFacilities, violations, targets, pages, nameRank, otherDiagnostics)) = Parallel.both({ [store] in
            var (read, diagnostics) = disclosuresRead.take()
            // Bound here rather than passed to a closure, so that the previous rows are consumed,
            // not copied: the rows that changed are replaced where the 72 MB of them lie. Kept
            // rows checked against other enterprises are not taken: each must be checked again.
            guard case let (table, kept)? = consume read else {
                return (DisclosuresText?.none, Reuse.no, diagnostics)
            }
            let previous = kept?.enterprises == idsDigest ? consume kept : nil
            let isCurrent = previous?.isCurrent == true
            // The file's digest is made from its blocks' digests, which the store keeps: a pass
            // of its own hashed 45 MB more at province scale, at every build.
            let blocks = TextBlocks(text: table.text, body: table.body.offset, blockSize: store?.blockSize ?? TextBlocks.defaultSize,
                                    sharing: previous.map { TextBlocks.Shared(blocks: $0.blocks, prefix: $0.commonPrefix, suffix: $0.commonSuffix) })
            dataFiles.record(DisclosuresDataset.fileName, blocks.digest.hex)
            let (decoded, reusable) = DisclosuresDataset(vocabulary: vocabulary, languages: languages, enterpriseIDs: ids)
                .decode(table, reusing: consume previous, diagnostics: &diagnostics)
            let rows = DisclosuresText(text: table.text, body: table.body.offset, blocks: blocks, decoded: decoded)
            return (rows, !reusable ? Reuse.no : isCurrent ? .stored : .yes, diagnostics)
        }, {
            var diagnostics = Diagnostics()
            var keepingFacilities: DecodedDatasets.Kept<[Facility]>?
            let facilities = table(FacilitiesDataset.fileName, FacilitiesDataset.columns, settings, digests: dataFiles, diagnostics: &diagnostics).map { table -> [Facility] in
                let digest = dataFiles.digest(of: FacilitiesDataset.fileName).flatMap { text in
                    enterprisesDigest.map { DecodedDatasets.facilitiesDigest(text: text, enterprisesText: $0) }
                }
                let decoded = Self.decoded(digest: digest, kept: keptDatasets?.facilities, diagnostics: &diagnostics) { diagnostics in
                    FacilitiesDataset(vocabulary: vocabulary, languages: languages, enterpriseIDs: ids).decode(table, diagnostics: &diagnostics)
                }
                keepingFacilities = decoded.keep
                return decoded.value
            } ?? []
            let violations = table(ViolationsDataset.fileName, ViolationsDataset.columns, settings, digests: dataFiles, diagnostics: &diagnostics)
                .map { ViolationsDataset(languages: languages, enterpriseIDs: ids).decode($0, diagnostics: &diagnostics) } ?? []
            let targets = table(TargetsDataset.fileName, TargetsDataset.columns, settings, digests: dataFiles, diagnostics: &diagnostics)
                .map { TargetsDataset(vocabulary: vocabulary).decode($0, diagnostics: &diagnostics) } ?? []
            let pagesDecoder = PagesDecoder(languages: languages, allowRawHTML: settings.unsafeHTML, pollutantCodes: vocabulary.pollutants.keys,
                                            encodings: settings.encodings, today: today)
            let pagesContext = decodedPages == nil ? nil : pagesDecoder.context
            let (pages, decodedPageFiles, reusedAllPages) = pagesDecoder.decode(content: directory, displayPath: displayPath,
                                                                                reusing: pagesContext.flatMap { decodedPages?.read(context: $0) }, diagnostics: &diagnostics)
            let nameRank = !modelling ? nil : nameOrder?.rank(of: enterprises, languages: languages)
                ?? NameOrderStore.NameOrder(rank: Site.nameRank(of: enterprises, languages: languages))
            // Kept only when every page could be read: a page with errors is decoded again.
            if !diagnostics.hasErrors, !reusedAllPages, let pagesContext { decodedPages?.write(decodedPageFiles, context: pagesContext) }
            return (facilities, keepingFacilities, violations, targets, pages, nameRank, diagnostics)
        })
        diagnostics.append(contentsOf: disclosureDiagnostics)
        diagnostics.append(contentsOf: otherDiagnostics)

        guard !diagnostics.hasErrors, modelling else { return Result(site: nil, settings: settings, diagnostics: diagnostics, configurationDigest: "", dataDigest: "") }
        if let nameRank { nameOrder?.keep(nameRank) }
        keeping.facilities = keepingFacilities
        let disclosures = disclosuresText?.decoded.disclosures ?? []
        let published = withheld.isEmpty ? disclosures : disclosures.filter { !withheld.contains($0.enterpriseID) }
        let withheldDigest = KeptOrdering.digest(ofWithheld: withheld)
        // Taken by the site's model, and by the rows' digests to find the rows that changed, only
        // where it fits the rows: its places index them.
        let keptOrdering = disclosuresText?.decoded.ordering.flatMap { $0.withheld == withheldDigest && $0.ordering.fits(published) ? $0.ordering : nil }
        let latestYear = keptOrdering.map(\.latestYear) ?? published.lazy.map(\.year).max()
        // The rows' digests need only the rows: hashed on one core while the model is made on
        // the other, where one waited for the other at province scale.
        let (site, rowDigests) = Parallel.both({ [settings, vocabulary, nameRank, today] in
            Site(settings: settings, vocabulary: vocabulary, enterprises: enterprises, disclosures: published,
                 facilities: facilities.filter { !withheld.contains($0.enterpriseID) },
                 violations: violations.filter { !withheld.contains($0.enterpriseID) }, targets: targets, pages: pages,
                 referenceDay: settings.dataAsOf ?? today, nameRank: nameRank?.rank ?? [:], ordering: keptOrdering)
        }, {
            disclosuresText?.digests(withholding: withheld, withheldDigest: withheldDigest, latestYear: latestYear, ordering: keptOrdering)
                ?? DisclosuresText.Digests()
        })
        let parts = EnterpriseParts(site: site, kept: keptDatasets?.enterpriseParts.flatMap { $0.digest == keeping.facilities?.digest ? $0.value : nil })
        keeping.enterpriseParts = keeping.facilities.map { DecodedDatasets.Kept(digest: $0.digest, value: parts) }
        if keeping.enterprises?.digest != keptDatasets?.enterprises?.digest || keeping.facilities?.digest != keptDatasets?.facilities?.digest
            || keeping.enterpriseParts?.digest != keptDatasets?.enterpriseParts?.digest {
            datasetsStore?.write(keeping)
        }
        var result = Result(site: site, settings: settings, diagnostics: diagnostics, configurationDigest: configuration.hex,
                            dataDigest: dataFiles.digest(today: today))
        result.datasetDigests = dataFiles.datasetDigests(today: today)
        result.disclosuresText = disclosuresText
        // Unchanged since the store was written, with the order it keeps: a hundred megabytes at
        // province scale are not written again after every edit of a page or a template.
        result.disclosuresStore = reusable == .yes || reusable == .stored && site.ordering != keptOrdering ? store : nil
        result.ordering = KeptOrdering(withheld: withheldDigest, ordering: site.ordering)
        result.rowDigests = DisclosuresText.Kept(withheld: withheldDigest, latestYear: latestYear, digests: rowDigests)
        result.enterpriseParts = parts
        return result
    }

    /// What `decode` makes of a dataset's text with `digest`: `kept`'s value when that was made
    /// from the same text; else `decode`'s, to keep for the next build only when it reported
    /// nothing, so that a reused dataset owes no warning.
    private static func decoded<Value>(digest: String?, kept: DecodedDatasets.Kept<Value>?, diagnostics: inout Diagnostics,
                                       _ decode: (inout Diagnostics) -> Value) -> (value: Value, keep: DecodedDatasets.Kept<Value>?) {
        if let kept, kept.digest == digest { return (kept.value, kept) }
        let reported = diagnostics.all.count
        let value = decode(&diagnostics)
        return (value, diagnostics.all.count == reported ? digest.map { DecodedDatasets.Kept(digest: $0, value: value) } : nil)
    }

    /// Whether the decoded rows may be kept for the next build: not when the file has a problem
    /// to report, and not again when the store already holds them.
    private enum Reuse {
        case no, yes, stored
    }

    /// Only `site.yml`, for a caller that needs the settings of a site whose data has errors.
    public func loadSettings() -> SiteSettings? {
        var diagnostics = Diagnostics()
        var hash = StableHash()
        return settings(hash: &hash, diagnostics: &diagnostics)
    }

    private func settings(hash: inout StableHash, diagnostics: inout Diagnostics) -> SiteSettings? {
        guard let document = yaml("site.yml", encoding: nil, hash: &hash, diagnostics: &diagnostics),
              var settings = SettingsDecoder().decode(document, diagnostics: &diagnostics) else { return nil }
        if let baseURLOverride { settings.baseURL = baseURLOverride }
        return settings
    }

    /// A YAML file of the content folder; one that is not UTF-8 may name its encoding in its own `encoding:` line.
    private func yaml(_ name: String, encoding: TextEncoding?, hash: inout StableHash, diagnostics: inout Diagnostics) -> YAMLDocument? {
        let path = displayPath + "/" + name
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            diagnostics.error("\(name) is missing from the content folder", at: SourceLocation(path: path))
            return nil
        }
        guard let bytes = TextFile.bytes(at: url, path: path, inside: directory, diagnostics: &diagnostics),
              let utf8 = TextFile.utf8(bytes, path: path, encoding: encoding ?? TextFile.selfDeclaredEncoding(in: bytes), diagnostics: &diagnostics) else { return nil }
        let text = String(decoding: utf8, as: UTF8.self)
        hash.add(text)
        let document = YAMLDocument(text: text, path: path, diagnostics: &diagnostics)
        return document.root == nil ? nil : document
    }

    /// A dataset's table; a missing file is an empty dataset, with a warning.
    private func table(_ name: String, _ columns: [DatasetColumn], _ settings: SiteSettings, digests: DataFileDigests, diagnostics: inout Diagnostics) -> DataTable? {
        guard let (url, path) = dataFile(name, diagnostics: &diagnostics),
              let text = TextFile.data(at: url, path: path, inside: directory, encoding: settings.encodings.encoding(for: "data/" + name), diagnostics: &diagnostics) else { return nil }
        digests.record(name, text.digest().hex)
        return DataTable(text: text, path: path, columns: columns, today: today, diagnostics: &diagnostics)
    }

    /// `disclosures.csv`'s table, and the previous build's rows in the store with how much of its
    /// text they share. Its UTF-8 is checked only where the store does not vouch for it: the
    /// shared ends are a text a previous build checked (`TextFile.checked`).
    private func disclosuresTable(_ settings: SiteSettings, store: DecodedDisclosures.Store?, diagnostics: inout Diagnostics)
        -> (DataTable, DecodedDisclosures.Previous?)? {
        let name = DisclosuresDataset.fileName
        let encoding = settings.encodings.encoding(for: "data/" + name)
        guard let (url, path) = dataFile(name, diagnostics: &diagnostics) else { return nil }
        // A file declared in another encoding is seldom UTF-8: decoded whole first, as any data
        // file is, so that the store is compared with, and its rows decoded for, that text once.
        if let encoding, encoding != .utf8 {
            guard let text = TextFile.data(at: url, path: path, inside: directory, encoding: encoding, diagnostics: &diagnostics) else { return nil }
            let table = DataTable(text: text, path: path, columns: DisclosuresDataset.columns, today: today, diagnostics: &diagnostics)
            return (table, store?.read(comparingWith: table.text, firstRow: table.body.offset))
        }
        guard let unchecked = TextFile.unchecked(at: url, path: path, inside: directory, diagnostics: &diagnostics) else { return nil }
        // What the table says of a text that turns out not to be UTF-8 is dropped with it.
        var found = Diagnostics()
        let table = DataTable(text: unchecked.body, path: path, columns: DisclosuresDataset.columns, today: today, diagnostics: &found)
        let previous = store?.read(comparingWith: table.text, firstRow: table.body.offset)
        // Undeclared or UTF-8, the text is either the body as read or reported.
        guard TextFile.checked(unchecked, path: path, encoding: encoding, trusting: previous.map { ($0.commonPrefix, $0.commonSuffix) } ?? (0, 0),
                               diagnostics: &diagnostics) != nil else { return nil }
        diagnostics.append(contentsOf: found)
        return (table, previous)
    }

    /// Where a data file is, and its path as messages show it; `nil` with a warning when it is
    /// missing, which makes its dataset empty.
    private func dataFile(_ name: String, diagnostics: inout Diagnostics) -> (url: URL, path: String)? {
        let path = displayPath + "/data/" + name
        let url = directory.appendingPathComponent("data").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            diagnostics.warning("data/\(name) is missing; the site publishes it as empty", at: SourceLocation(path: path))
            return nil
        }
        return (url, path)
    }
}

/// The digest of each data file's text, collected from the loading threads.
private final class DataFileDigests: @unchecked Sendable {
    private let lock = NSLock()
    private var digests: [String: String] = [:]

    func record(_ name: String, _ digest: String) {
        lock.withLock { digests[name] = digest }
    }

    /// The digest of the text of `name`, once read.
    func digest(of name: String) -> String? {
        lock.withLock { digests[name] }
    }

    func digest(today: Day) -> String {
        var hash = StableHash()
        hash.add(today)
        for (name, digest) in lock.withLock({ digests }).sorted(by: { $0.key < $1.key }) {
            hash.add(name)
            hash.add(digest)
        }
        return hash.hex
    }

    /// For each data file read, by its dataset's name, a digest of its text, of the enterprises'
    /// (whose embargoed ones a dataset leaves out) and of the build day (which embargoes compare
    /// with): a changed disclosure row leaves the other datasets' digests as they were.
    func datasetDigests(today: Day) -> [String: String] {
        let digests = lock.withLock { self.digests }
        return Dictionary(uniqueKeysWithValues: digests.map { name, digest in
            (String(name.prefix { $0 != "." }), StableHash.hex(today.description, digests[EnterprisesDataset.fileName] ?? "", digest))
        })
    }
}
