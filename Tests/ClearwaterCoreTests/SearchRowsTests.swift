@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The search index's rows kept beside the output are a cache: the next index copies the rows
/// whose inputs did not change and makes the others, and a damaged store is never read.
@Suite struct SearchRowsTests {
    /// A row kept under an unchanged key is copied as it was kept — an enterprise's row altered
    /// in the store comes back in the next index, which shows it was not made again — while the
    /// rows of the page that changed are made from its new text; a clean build makes every row.
    @Test func theNextIndexCopiesTheRowsOfWhatDidNotChange() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let store = SearchRows.Store(location: SearchRows.Store.location(of: site.output))
        var kept = try #require(store.read())
        #expect(kept.script == Array(site.read("search-index.js").utf8))
        // Every enterprise's and every page's row has its key; the pollutants' and districts' are always made.
        let rows = site.read("search-index.js").split(separator: "\n").filter { $0.hasPrefix("[\"") }
        #expect(kept.ranges.count == rows.count { $0.dropFirst(6).hasPrefix("\"enterprise\"") || $0.dropFirst(6).hasPrefix("\"page\"") })
        #expect(kept.ranges.count > 4)
        let alpha = try #require(kept.ranges.values.first { String(decoding: kept.script[$0], as: UTF8.self).contains("\"Alpha Smelter\"") })
        let altered = Array(String(decoding: kept.script[alpha], as: UTF8.self).replacingOccurrences(of: "Alpha Smelter", with: "Kept Smelter!").utf8)
        kept.script.replaceSubrange(alpha, with: altered)
        store.write(kept)

        try site.write("pages/about.en.md", site.readContent("pages/about.en.md") + "\nQingshuitang district.\n")
        _ = try await site.build()
        let index = site.read("search-index.js")
        #expect(index.contains("\"Kept Smelter!\""))
        #expect(index.contains("qingshuitang district."))
        #expect(try #require(store.read()).script == Array(index.utf8))

        var clean = site.options()
        clean.clean = true
        _ = try await Builder(options: clean).build()
        #expect(!site.read("search-index.js").contains("Kept Smelter!"))
        #expect(site.read("search-index.js").contains("\"Alpha Smelter\""))
    }

    @Test func aDamagedStoreIsNotRead() throws {
        try withTemporaryFolder("search-rows") { folder in
            let store = SearchRows.Store(location: folder.appendingPathComponent("search"))
            let script = Array("self.clearwaterSearchIndex = [\n[\"en\",\"page\",\"A\"],\n[\"zh\",\"page\",\"甲\"]\n];\n".utf8)
            let rows = SearchRows(script: script, ranges: [7: 31..<47, 0xFFFF_FFFF_FFFF_FFFF: 49..<66])
            store.write(rows)
            #expect(store.read() == rows)
            let bytes = try Data(contentsOf: store.location)
            for data in damagedCopies(of: bytes) {
                try data.write(to: store.location)
                #expect(store.read() == nil, "\(data.count) bytes")
            }
        }
    }
}
