@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The enterprises and facilities a build decoded, and what the record digests take from them,
/// are kept for the next (`DecodedDatasets.Store`): read back as they were written, and not at
/// all when kept under another context or damaged in any way.
@Suite struct DecodedDatasetsTests {
    static let datasets: DecodedDatasets = {
        var datasets = DecodedDatasets()
        let enterprises = [
            Enterprise(id: "alpha", name: Localized(["zh": "甲冶炼厂", "en": "Alpha Smelter"]), creditCode: "91350100M000100Y43", district: "shifeng",
                       industry: "smelting", status: "operating", statusSince: Day("2020-02-29"), keyRegulated: true,
                       address: Localized(["zh": "株洲市清水塘路1号", "en": "1 Qingshuitang Road"])),
            Enterprise(id: "beta", name: Localized(["zh": "乙化工厂", "en": "乙化工厂"]), creditCode: nil, district: "tianyuan", industry: "chemicals",
                       status: "closed", statusSince: nil, keyRegulated: false, address: nil),
            Enterprise(id: "gamma", name: Localized(["zh": "丙", "en": ""]), creditCode: nil, district: "shifeng", industry: "smelting",
                       status: "operating", statusSince: nil, keyRegulated: nil, address: nil),
        ]
        datasets.enterprises = DecodedDatasets.Kept(digest: "e-digest", value: DecodedDatasets.Enterprises(enterprises: enterprises, withheld: ["delta", "epsilon"]))
        datasets.facilities = DecodedDatasets.Kept(digest: "f-digest", value: [
            Facility(enterpriseID: "alpha", id: "filter", name: Localized(["zh": "除尘器", "en": "Dust filter"]), status: "running", since: Day("2018-01-01")),
            Facility(enterpriseID: "beta", id: "scrubber", name: Localized(["zh": "洗涤塔", "en": "洗涤塔"]), status: "stopped", since: nil),
        ])
        datasets.enterpriseParts = DecodedDatasets.Kept(digest: "f-digest", value: EnterpriseParts(
            own: [ContentDigest(high: 1, low: 2), ContentDigest(high: .max, low: 0), ContentDigest(high: 0, low: 3)], all: ContentDigest(high: 4, low: 5)))
        return datasets
    }()

    /// Everything a reader of the datasets sees, to compare two of them.
    static func described(_ datasets: DecodedDatasets?) -> [String] {
        func text(_ localized: Localized?) -> String {
            localized.map { $0.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") } ?? "-"
        }
        let enterprises = datasets?.enterprises.map { kept in
            ["enterprises \(kept.digest) withheld \(kept.value.withheld.sorted())"] + kept.value.enterprises.map { e in
                "\(e.id)|\(text(e.name))|\(e.creditCode ?? "-")|\(e.district)|\(e.industry)|\(e.status)|\(e.statusSince?.description ?? "-")|"
                    + "\(e.keyRegulated.map(String.init) ?? "-")|\(text(e.address))"
            }
        } ?? ["no enterprises"]
        let facilities = datasets?.facilities.map { kept in
            ["facilities \(kept.digest)"] + kept.value.map { "\($0.enterpriseID)|\($0.id)|\(text($0.name))|\($0.status)|\($0.since?.description ?? "-")" }
        } ?? ["no facilities"]
        let parts = datasets?.enterpriseParts.map { kept in
            ["parts \(kept.digest) all \(kept.value.all.hex)"] + kept.value.own.map(\.hex)
        } ?? ["no parts"]
        return enterprises + facilities + parts
    }

    @Test func keptDatasetsReadBackWholeOrNotAtAll() throws {
        try withTemporaryFolder("clearwater-datasets") { folder in
            let location = folder.appendingPathComponent("datasets")
            let store = try #require(DecodedDatasets.Store(location: location, inputs: "one"))
            store.write(Self.datasets)
            #expect(Self.described(store.read()) == Self.described(Self.datasets))
            #expect(try #require(DecodedDatasets.Store(location: location, inputs: "two")).read() == nil)

            var onlyFacilities = Self.datasets
            (onlyFacilities.enterprises, onlyFacilities.enterpriseParts) = (nil, nil)
            store.write(onlyFacilities)
            #expect(Self.described(store.read()) == ["no enterprises"] + Self.described(Self.datasets).drop { !$0.hasPrefix("facilities") }.prefix { !$0.hasPrefix("parts") }
                + ["no parts"])

            store.write(Self.datasets)
            let bytes = try Data(contentsOf: location)
            for length in 0..<bytes.count {
                try bytes.prefix(length).write(to: location)
                #expect(store.read() == nil, "length \(length)")
            }
            for position in bytes.indices {
                var damaged = bytes
                damaged[position] ^= 0x21
                try damaged.write(to: location)
                #expect(store.read() == nil, "byte \(position)")
            }
        }
    }

    /// What the record digests take from the enterprises and facilities, as a rebuild reads it
    /// from the store, is what it would make from the files as they are: after a build, and after
    /// an edit of a facility (the parts kept for the old text must not be taken for the new).
    @Test func keptEnterprisePartsAreThoseOfTheFilesAsTheyAre() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        func parts(keeping: Bool) -> EnterpriseParts? {
            ContentLoader(directory: site.content, displayPath: "Content", today: site.options().today, baseURLOverride: nil, decodedDisclosures: nil,
                          nameOrder: nil, decodedPages: nil, decodedDatasets: keeping ? DecodedDatasets.Store.location(of: site.output) : nil).load().enterpriseParts
        }
        let built = try #require(parts(keeping: false))
        #expect(parts(keeping: true) == built)
        try site.write("data/facilities.csv", site.readContent("data/facilities.csv").replacingOccurrences(of: "Dust filter", with: "Bag filter"))
        let edited = try #require(parts(keeping: false))
        #expect(edited != built)
        #expect(parts(keeping: true) == edited)
    }
}
