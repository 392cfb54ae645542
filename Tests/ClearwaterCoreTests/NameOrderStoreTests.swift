@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The name order kept beside the output is a cache: it must give what collating the names
/// gives, be read only for the same names, and never be trusted when it orders other ids.
@Suite struct NameOrderStoreTests {
    let languages = ["zh", "en"]

    func enterprise(_ id: String, _ zh: String, _ en: String) -> Enterprise {
        Enterprise(id: id, name: Localized(["zh": zh, "en": en]), creditCode: nil, district: "shifeng", industry: "smelting",
                   status: "operating", statusSince: nil, keyRegulated: nil, address: nil)
    }

    var enterprises: [Enterprise] {
        [enterprise("c", "株洲冶炼", "Zhuzhou Smelting"), enterprise("a", "安仁化工", "Anren Chemicals"),
         enterprise("b", "白马电镀", ""), enterprise("d", "湘江", "Xiang River Works")]
    }

    func withStore(_ body: (NameOrderStore, URL) throws -> Void) throws {
        try withTemporaryFolder("names") { folder in
            let location = folder.appendingPathComponent("names")
            try body(NameOrderStore(location: location), location)
        }
    }

    @Test func keptOrderIsReadForTheSameNamesAndWorkedOutAgainForOthers() throws {
        try withStore { store, location in
            let collated = Site.nameRank(of: enterprises, languages: languages)
            let first = store.rank(of: enterprises, languages: languages)
            #expect(first.rank == collated)
            #expect(!FileManager.default.fileExists(atPath: location.path), "kept before the content was found free of errors")
            store.keep(first)
            let digest = try #require(NameOrderStore.digest(of: enterprises, languages: languages))
            let zhOrder = collated["zh"]!.sorted { $0.value < $1.value }.map(\.key)
            #expect(store.read(digest: digest)?["zh"] == zhOrder)
            // The file is what the next build reads: an order changed in it comes back, which
            // shows it was read rather than collated again.
            var swapped = try #require(store.read(digest: digest))
            swapped["zh"] = zhOrder.reversed()
            store.write(swapped, digest: digest)
            #expect(store.rank(of: enterprises, languages: languages).rank["zh"] == Dictionary(uniqueKeysWithValues: zhOrder.reversed().enumerated().map { ($1, $0) }))
            // Another name: collated again, not read.
            var renamed = enterprises
            renamed[0] = enterprise("c", "爱心冶炼", "Zhuzhou Smelting")
            #expect(store.rank(of: renamed, languages: languages).rank == Site.nameRank(of: renamed, languages: languages))
        }
    }

    @Test func aDamagedOrForeignFileIsWorkedOutAgain() throws {
        try withStore { store, location in
            let collated = Site.nameRank(of: enterprises, languages: languages)
            store.keep(store.rank(of: enterprises, languages: languages))
            let digest = try #require(NameOrderStore.digest(of: enterprises, languages: languages))
            let kept = try #require(store.read(digest: digest))
            let bytes = try Data(contentsOf: location)
            // An id twice and one missing, an id the site does not have, a language missing.
            let zh = kept["zh"]!
            let foreign = [kept.merging(["zh": zh.map { $0 == "a" ? "b" : $0 }]) { $1 }, kept.merging(["zh": zh.map { $0 == "a" ? "z" : $0 }]) { $1 },
                           ["fr": kept["en"]!, "zh": zh]]
            for order in foreign {
                store.write(order, digest: digest)
                #expect(store.rank(of: enterprises, languages: languages).rank == collated, "\(order)")
            }
            for data in damagedCopies(of: bytes) {
                try data.write(to: location)
                #expect(store.read(digest: digest) == nil || store.read(digest: digest) == kept, "\(data.count) bytes")
                #expect(store.rank(of: enterprises, languages: languages).rank == collated)
            }
        }
    }
}
