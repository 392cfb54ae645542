import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// What must not be published: undeclared and private columns, private front matter, drafts,
/// embargoed rows and pages dated after the build day (the fixture builds on 2021-01-15).
@Suite struct SecretsTests {
    /// Every output byte as one text: pages, feeds, search index, sitemap, open data, snapshot.
    static func everything(_ site: FixtureSite) -> String {
        site.snapshot().sorted { $0.key < $1.key }.map { String(decoding: $0.value, as: UTF8.self) }.joined(separator: "\n")
    }

    static let secrets: [String: String?] = [
        "data/enterprises.csv": """
            id,name_zh,name_en,district,industry,status,private_contact,internal_memo,embargo
            alpha,甲冶炼厂,Alpha Smelter,shifeng,smelting,operating,SECRET-PHONE-13800000000,SECRET-MEMO-1,
            beta,乙化工厂,,shifeng,smelting,closed,,,2021-01-15
            gamma,丙化工厂SECRET-EMBARGOED-NAME,Gamma Works SECRET-EMBARGOED-NAME,shifeng,smelting,operating,,,2021-01-16

            """,
        "data/disclosures.csv": """
            enterprise_id,year,pollutant,medium,amount,unit,source,embargo,private_note
            alpha,2020,Pb,air,0.1,t,report,,SECRET-ROW-NOTE
            alpha,2020,Cd,air,987654.321,kg,SECRET-EMBARGOED-SOURCE,2099-12-31,
            alpha,2019,Cd,air,876543.21,kg,,2020-01-01,
            gamma,2020,Pb,air,55,kg,gamma report SECRET-EMBARGOED-SOURCE,,

            """,
        "data/facilities.csv": "enterprise_id,id,name_zh,status,publish_date\ngamma,f1,SECRET-EMBARGOED-FACILITY,running,\nalpha,f1,除尘器,running,\nalpha,f2,SECRET-EMBARGOED-FACILITY,running,2021-03-01\n",
        "data/violations.csv": """
            id,enterprise_id,date,violation_zh,embargo
            v1,alpha,2020-06-01,SECRET-EMBARGOED-VIOLATION,2021-02-01
            v2,gamma,2020-06-01,SECRET-EMBARGOED-VIOLATION,
            v3,beta,2020-06-01,超标排放,2021-01-01

            """,
        "pages/future.zh.md": "---\ntitle: SECRET-FUTURE-TITLE\nsummary: SECRET-FUTURE-SUMMARY\ndate: 2021-01-16\n---\nSECRET-FUTURE-BODY\n",
        "pages/embargoed.en.md": "---\ntitle: SECRET-EMBARGOED-PAGE\ndate: 2020-01-01\nembargo: 2021-02-01\n---\nSECRET-EMBARGOED-PAGE-BODY\n",
        "pages/private.en.md": "---\ntitle: SECRET-PRIVATE-PAGE\nprivate: true\n---\nSECRET-PRIVATE-PAGE-BODY\n",
        "pages/today.zh.md": "---\ntitle: 今日公布\ndate: 2021-01-15\nprivate_reviewer: SECRET-REVIEWER\nprivate:\n  note: SECRET-FRONT-MATTER-NOTE\n---\n今天发布的页面。\n",
    ]

    @Test func noUndeclaredPrivateOrEmbargoedValueReachesAnyOutputByte() async throws {
        let site = try await FixtureSite.built(Self.secrets)
        defer { site.remove() }
        let output = Self.everything(site)
        #expect(!output.contains("SECRET"), "leaked: \(output.components(separatedBy: "SECRET").dropFirst().map { String($0.prefix(30)) })")
        #expect(!output.contains("987654"))
        #expect(!output.contains("gamma"))
        #expect(!output.contains("DRAFT-ONLY-TEXT"))
        for path in ["zh/enterprises/gamma/index.html", "en/enterprises/gamma/index.html", "zh/future/index.html"] {
            #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent(path).path), "\(path)")
        }
    }

    @Test func whatIsDueTodayIsPublishedEverywhere() async throws {
        let site = try await FixtureSite.built(Self.secrets)
        defer { site.remove() }
        #expect(site.read("zh/enterprises/beta/index.html").contains("乙化工厂"))
        #expect(site.read("zh/blacklist/index.html").contains("超标排放"))
        #expect(site.read("zh/today/index.html").contains("今天发布的页面。"))
        #expect(site.read("sitemap.xml").contains("zh/today/"))
        #expect(site.read("search-index.js").contains("今日公布"))
        #expect(site.read("data/enterprises.csv").contains("beta"))
        #expect(site.read("data/violations.json").contains("\"v3\""))
        #expect(site.read("data/disclosures.csv").contains("876543.21"))
    }

    @Test func privateColumnsAndTheEmbargoColumnAreNotWarnedAboutButOtherUnknownOnesAre() throws {
        let site = try FixtureSite(Self.secrets)
        defer { site.remove() }
        let diagnostics = site.check()
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        #expect(!diagnostics.contains { $0.message.contains("private") || $0.message.contains("embargo") }, "\(diagnostics)")
    }

    @Test func aBadEmbargoDateIsAnErrorEvenBeforeItsDay() throws {
        let site = try FixtureSite(["data/violations.csv": "id,enterprise_id,date,violation_zh,embargo\nv1,alpha,2020-06-01,x,2099-02-30\nv2,alpha,2020-06-01,,2099-01-01\n"])
        defer { site.remove() }
        let errors = site.check().filter { $0.severity == .error }.map(\.description)
        #expect(errors == [
            "Content/data/violations.csv:2:23: error: 'embargo' must be a real date written YYYY-MM-DD (found '2099-02-30')",
            "Content/data/violations.csv:3:21: error: 'violation_zh' is required but the cell is empty",
        ])
    }
}

/// Nothing outside the content and theme folders is read, whatever links point there.
@Suite struct ContentBoundaryTests {
    /// A folder beside the site holding a file nobody meant to publish.
    static func outsideFile() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("secret.zh.md")
        try Data("---\ntitle: OUTSIDE-SECRET\n---\nOUTSIDE-SECRET\n".utf8).write(to: file)
        return file
    }

    func link(_ site: FixtureSite, _ path: String, to target: URL) throws {
        let url = site.content.appendingPathComponent(path)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: url, withDestinationURL: target)
    }

    @Test func symbolicLinksLeadingOutsideTheContentFolderAreRefused() async throws {
        let outside = try Self.outsideFile()
        defer { try? FileManager.default.removeItem(at: outside.deletingLastPathComponent()) }
        let site = try FixtureSite()
        defer { site.remove() }
        try link(site, "pages/leak.zh.md", to: outside)
        try link(site, "data/facilities.csv", to: outside)
        try link(site, "pages/linked", to: outside.deletingLastPathComponent())
        let errors = site.check().filter { $0.severity == .error }
        #expect(Set(errors.map(\.path)) == ["Content/pages/leak.zh.md", "Content/data/facilities.csv", "Content/pages/linked"], "\(errors)")
        #expect(errors.allSatisfy { $0.message.contains(" is a symbolic link to \(outside.deletingLastPathComponent().path)") && $0.message.contains("outside Content/") }, "\(errors)")
        await #expect(throws: ContentErrors.self) { try await site.build() }
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func symbolicLinksWithinTheContentFolderAreFollowed() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try link(site, "pages/about-copy.en.md", to: site.content.appendingPathComponent("pages/about.en.md"))
        _ = try await site.build()
        #expect(site.read("en/about-copy/index.html").contains("About this site."))
    }

    @Test func aThemeAssetLinkingOutsideTheThemeIsRefused() async throws {
        let outside = try Self.outsideFile()
        defer { try? FileManager.default.removeItem(at: outside.deletingLastPathComponent()) }
        let site = try FixtureSite()
        defer { site.remove() }
        let themes = site.root.appendingPathComponent("Themes")
        _ = try ChildProcess.run("cp", ["-r", FixtureSite.themes.path, themes.path])
        try FileManager.default.createSymbolicLink(at: themes.appendingPathComponent("default/assets/leak.txt"), withDestinationURL: outside)
        var options = site.options()
        options.themes = themes
        let errors = Builder(options: options).check().filter { $0.severity == .error }
        #expect(errors.map(\.description).contains { $0.hasPrefix("Themes/default/assets/leak.txt:0:0: error: the file is a symbolic link to ") }, "\(errors)")
    }
}
