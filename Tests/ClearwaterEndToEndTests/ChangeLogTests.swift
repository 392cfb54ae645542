import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// Two data versions built into the same output: the second build's updates page and feed
/// list exactly what changed.
@Suite struct ChangeLogTests {
    @Test func firstBuildHasAnEmptyChangeLog() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        #expect(site.read("en/updates/index.html").contains("No changes yet"))
        #expect(!site.read("en/feed.xml").contains("<entry>"))
        #expect(site.read("data/snapshot.json").contains("\"format\":\"clearwater-snapshot\""))
    }

    @Test func secondBuildListsEachChangeOnceWithItsDateAndLink() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        try site.write("data/enterprises.csv", """
        id,name_zh,name_en,credit_code,district,industry,status,status_since,key_regulated
        alpha,甲冶炼厂,Alpha Smelter,91350100M000100Y43,shifeng,smelting,closed,2020-12-01,true
        beta,乙化工厂,,,shifeng,smelting,closed,2019-12-31,false
        gamma,丙厂,Gamma Works,,shifeng,smelting,operating,,false

        """)
        try site.write("data/disclosures.csv", """
        enterprise_id,year,pollutant,medium,amount,unit
        alpha,2020,Pb,air,0.09,t
        alpha,2020,Pb,water,200,g
        alpha,2020,Cd,air,12500,g
        alpha,2019,Pb,air,0.2,kg
        gamma,2020,Cd,water,3.5,kg

        """)
        try site.write("data/violations.csv", """
        id,enterprise_id,date,violation_zh,listed_until
        v1,alpha,2020-06-01,超标排放,2020-11-30
        v3,gamma,2020-10-01,新违法,

        """)
        _ = try await site.build()

        let updates = site.read("en/updates/index.html")
        let expected = [
            "Status changed</strong>: <a href=\"../../en/enterprises/alpha/\">Alpha Smelter</a> — Operating → Closed",
            "Amount corrected</strong>: <a href=\"../../en/enterprises/alpha/\">Alpha Smelter</a> — 2020 · Lead · Air: 100.00 kg → 90.00 kg",
            "Left the active blacklist</strong>: <a href=\"../../en/blacklist/#violation-v1\">Alpha Smelter</a> — v1",
            "Added to the register</strong>: <a href=\"../../en/enterprises/gamma/\">Gamma Works</a> — Operating",
            "New disclosure</strong>: <a href=\"../../en/enterprises/gamma/\">Gamma Works</a> — 2020 · Cadmium · Wastewater: 3.50 kg",
            "Added to the blacklist</strong>: <a href=\"../../en/blacklist/#violation-v3\">Gamma Works</a> — v3",
            "Blacklist entry removed from the data</strong>: <a href=\"../../en/enterprises/beta/\">乙化工厂</a> — v2",
        ]
        for line in expected { #expect(updates.contains(line), "\(line)") }
        // 12.5 kg written as 12500 g is the same amount: no change.
        #expect(!updates.contains("Cadmium · Air"))
        #expect(updates.components(separatedBy: "<li id=\"change-").count - 1 == expected.count)
        #expect(updates.contains("<time datetime=\"2021-01-15\">2021-01-15</time>"))

        let feed = site.read("zh/feed.xml")
        #expect(feed.components(separatedBy: "<entry>").count - 1 == expected.count)
        #expect(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/sub/path/zh/enterprises/gamma/\"/>"))
        #expect(feed.contains("<updated>2021-01-15T00:00:00Z</updated>"))
        #expect(feed.contains("<title>状态变化: 甲冶炼厂</title>"))

        // Building the same data again finds nothing new and keeps the log.
        _ = try await site.build()
        #expect(site.read("en/updates/index.html") == updates)
    }

    @Test func anUnreadableSnapshotStopsTheBuildInsteadOfLosingTheHistory() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        try Data("not json".utf8).write(to: site.output.appendingPathComponent("data/snapshot.json"))
        await #expect(throws: (any Error).self) { _ = try await site.build() }
        #expect(site.read("data/snapshot.json") == "not json")
    }
}
