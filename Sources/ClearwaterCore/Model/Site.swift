import CLinux
import Foundation

/// Everything a build publishes, validated, immutable and indexed for the lookups pages make.
///
/// Built once per build; every page renders from it alone, so pages can render in
/// parallel and a later incremental build can tell which parts a page read.
public struct Site: Sendable {
    public let settings: SiteSettings
    public let vocabulary: Vocabulary
    public let enterprises: [Enterprise]
    /// Sorted by enterprise, then as `disclosures(of:)` orders them: a view of the rows as
    /// loaded, in that order. At province scale a sorted copy of half a million disclosures
    /// was ninety megabytes, and copying each retained its half-dozen texts.
    public let disclosures: Selection
    public let facilities: [Facility]
    public let violations: [Violation]
    public let targets: [Target]
    public let pages: [Page]
    /// The day the blacklist is judged on: `data_as_of`, else the build date.
    public let referenceDay: Day
    /// Every change found by comparing builds, oldest first; set by the build, which owns the snapshots.
    public internal(set) var changeLog: [Change] = []

    public let enterpriseByID: [String: Enterprise]
    /// The order `disclosures` lists the rows as loaded in, and what it groups together.
    public let ordering: Ordering
    /// Each enterprise's disclosures in `disclosures`, in that order: the runs the open data
    /// and the snapshot write enterprise by enterprise, known without comparing the ids of
    /// half a million neighbouring rows.
    public var disclosureRuns: [Ordering.Run] { ordering.runs }
    /// Where each enterprise's disclosures lie in `disclosures`: a range rather than a copy,
    /// since at province scale every copy of half a million disclosures costs ninety megabytes.
    private let disclosureRanges: [String: Range<Int>]
    public let facilitiesByEnterprise: [String: [Facility]]
    public let violationsByEnterprise: [String: [Violation]]
    /// Each enterprise's place in name order, per language: Chinese by Hanyu Pinyin (ICU's
    /// `zh@collation=pinyin`), other languages by their own collation; ties by id.
    public let nameRank: [String: [String: Int]]
    /// Top-level Markdown pages by weight, as the menu lists them: worked out once, not for
    /// each of a province's twenty thousand pages.
    public let menuPages: [Page]
    private let pageByKey: [String: Page]
    private let pagesByParent: [String: [Page]]

    /// - Parameter nameRank: `Site.nameRank(of:languages:)`, which the loader works out while
    ///   the disclosures load.
    /// - Parameter ordering: the rows' order as a previous build worked it out for rows with the
    ///   same keys, kept with them (`DecodedDisclosures`), once the loader found that it fits
    ///   `disclosures` (`Ordering.fits`); worked out again when absent.
    public init(settings: SiteSettings, vocabulary: Vocabulary, enterprises: [Enterprise], disclosures: [Disclosure],
                facilities: [Facility], violations: [Violation], targets: [Target], pages: [Page], referenceDay: Day,
                nameRank: [String: [String: Int]], ordering: Ordering? = nil) {
        self.settings = settings
        self.vocabulary = vocabulary
        self.enterprises = enterprises
        let ordering = ordering ?? Ordering(disclosures, vocabulary: vocabulary)
        self.ordering = ordering
        self.disclosures = Selection(all: disclosures, positions: ordering.order)
        self.facilities = facilities
        self.violations = violations.sorted { ($1.date, $0.id) < ($0.date, $1.id) }
        self.targets = targets
        self.pages = pages.sorted { ($0.weight, $0.key) < ($1.weight, $1.key) }
        self.referenceDay = referenceDay
        enterpriseByID = Dictionary(enterprises.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        disclosureRanges = Dictionary(uniqueKeysWithValues: ordering.runs.map { ($0.enterpriseID, $0.range) })
        enterprisesByDistrict = Dictionary(grouping: enterprises, by: \.district)
        facilitiesByEnterprise = Dictionary(grouping: facilities, by: \.enterpriseID)
        violationsByEnterprise = Dictionary(grouping: self.violations, by: \.enterpriseID)
        self.nameRank = nameRank
        menuPages = self.pages.filter { !$0.key.isEmpty && !$0.key.utf8.contains(UInt8(ascii: "/")) && !$0.isPollutantText }
        pageByKey = Dictionary(self.pages.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        pagesByParent = Dictionary(grouping: self.pages.filter { !$0.key.isEmpty }, by: \.parentKey)
    }

    /// Each enterprise's place in name order, per language. Collation through ICU costs
    /// microseconds a comparison: seconds for a province, so it runs beside other loading.
    public static func nameRank(of enterprises: [Enterprise], languages: [String]) -> [String: [String: Int]] {
        Dictionary(uniqueKeysWithValues: languages.map { language in
            let collation = NameCollation(localeIdentifier: language == "zh" ? "zh@collation=pinyin" : language)
            let ordered = enterprises.map { (id: $0.id, name: collation.key($0.name.text(in: language, fallbacks: languages))) }.sorted {
                switch collation.compare($0.name, $1.name) {
                case .orderedAscending: true
                case .orderedDescending: false
                case .orderedSame: $0.id < $1.id
                }
            }
            return (language, Dictionary(ordered.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first }))
        })
    }

    /// An enterprise's disclosures, newest year first, then pollutant and medium in vocabulary order.
    public func disclosures(of enterpriseID: String) -> Slice<Selection> {
        disclosures[disclosureRanges[enterpriseID] ?? 0..<0]
    }

    /// A pollutant's disclosures, by enterprise and then as `disclosures(of:)` orders them.
    /// Read in place: a province's metal has a hundred thousand disclosures, and copying them
    /// into an array of their own, then freeing it, was a quarter of making its page.
    public func disclosures(ofPollutant code: String) -> Selection {
        Selection(all: disclosures.all, positions: ordering.pollutantPositions[code] ?? [])
    }

    /// Some of the site's disclosures, by their places among the rows as loaded.
    public struct Selection: RandomAccessCollection, Sendable {
        let all: [Disclosure]
        let positions: [Int]

        public var startIndex: Int { positions.startIndex }
        public var endIndex: Int { positions.endIndex }
        public subscript(index: Int) -> Disclosure { all[positions[index]] }

        /// Calls `body` with each disclosure where it stands, to read the fields it needs
        /// through `pointee`. Iterating copies each one out, which retains its half-dozen texts,
        /// and the summary pages read half a million.
        public func forEachInPlace(_ body: (UnsafePointer<Disclosure>) -> Void) {
            forEachLeading(in: CollectionOfOne(indices)) { body($0); return true }
        }

        /// `body` with the disclosure at `index` where it stands, as `forEachInPlace` passes them.
        public func withDisclosure<Result>(at index: Int, _ body: (UnsafePointer<Disclosure>) -> Result) -> Result {
            all.withUnsafeBufferPointer { rows in body(rows.baseAddress! + positions[index]) }
        }

        /// Calls `body` with the disclosures of each of `ranges`, where they stand, from the
        /// range's start for as long as `body` returns true: the rows an enterprise's run
        /// begins with, such as its latest year's.
        public func forEachLeading(in ranges: some Sequence<Range<Int>>, _ body: (UnsafePointer<Disclosure>) -> Bool) {
            all.withUnsafeBufferPointer { rows in
                guard let first = rows.baseAddress else { return }
                for range in ranges {
                    for index in range {
                        // A few rows ahead, asked for while this one is read: a metal's rows lie
                        // apart among the 72 MB of a province's rows, and reading them waited on
                        // memory for half of making a metal's figures.
                        if index + Self.lookahead < positions.count {
                            clearwater_prefetch(first + positions[index + Self.lookahead], MemoryLayout<Disclosure>.stride)
                        }
                        if !body(first + positions[index]) { break }
                    }
                }
            }
        }

        private static let lookahead = 8
    }

    public var activeViolations: [Violation] { violations.filter { $0.isActive(on: referenceDay) } }
    public var pastViolations: [Violation] { violations.filter { !$0.isActive(on: referenceDay) } }

    /// Districts with at least one enterprise, in vocabulary order: each gets a page.
    public var districtsInUse: [String] {
        vocabulary.districts.keys.filter { enterprisesByDistrict[$0] != nil }
    }

    /// A district's enterprises in directory order: what its page lists, and so what the page's
    /// build digest covers.
    public func enterprises(inDistrict key: String) -> [Enterprise] {
        enterprisesByDistrict[key] ?? []
    }

    /// Grouped once: each district's page, its build digest in each language and the directory's
    /// counts each went through every enterprise of a province, copying every one they kept.
    private let enterprisesByDistrict: [String: [Enterprise]]

    /// The most recent year any enterprise disclosed for, if any did.
    /// Worked out once: every summary page asks, and it is a pass over every disclosure.
    public var latestYear: Int? { ordering.latestYear }

    public func page(_ key: String) -> Page? { pageByKey[key] }

    /// The pages directly inside a page's folder, in menu order.
    public func children(of key: String) -> [Page] { pagesByParent[key] ?? [] }
}

extension Slice where Base == Site.Selection {
    /// `Selection.forEachInPlace` for some of a selection, such as an enterprise's disclosures.
    public func forEachInPlace(_ body: (UnsafePointer<Disclosure>) -> Void) {
        base.forEachLeading(in: CollectionOfOne(startIndex..<endIndex)) { body($0); return true }
    }
}
