import ClearwaterCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Builds fixture sites into temporary folders and reads the real output.
@Suite struct BuildTests {
    @Test func publishesEveryContractPageInBothLanguages() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        for language in ["zh", "en"] {
            for path in ["", "enterprises/", "enterprises/alpha/", "enterprises/beta/", "pollutants/", "pollutants/Pb/", "pollutants/Cd/",
                         "blacklist/", "targets/", "data/", "plan/", "plan/goals/", "about/"] {
                #expect(site.read("\(language)/\(path)index.html").contains("<html lang=\"\(language == "zh" ? "zh-CN" : "en")\">"), "\(language)/\(path)")
            }
        }
        for name in ["enterprises", "disclosures", "facilities", "violations", "targets"] {
            #expect(!site.read("data/\(name).csv").isEmpty)
            #expect(site.read("data/\(name).json").hasPrefix("["))
        }
        #expect(site.read("index.html").contains("url=zh/"))
        #expect(site.read("index.html").contains("href=\"assets/style.css\""))
        #expect(!site.read("en/enterprises/alpha/index.html").contains(">false<"))
        #expect(site.read("404.html").contains("href=\"/sub/path/assets/style.css\""))
        #expect(site.read("sitemap.xml").contains("<loc>https://example.org/sub/path/en/enterprises/alpha/</loc>"))
    }

    @Test func figuresAreExactAndComputedFromTheData() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let targets = site.read("en/targets/index.html")
        // 100.10 + 0.2 = 100.30 baseline; 40.04 + 0.08 = 40.12 target; cut 60%.
        #expect(targets.contains("100.30"))
        #expect(targets.contains("40.12"))
        #expect(targets.contains("60%"))
        let alpha = site.read("en/enterprises/alpha/index.html")
        // 0.1 t + 0.2 kg (200 g) + 12.5 kg for 2020 = 112.70 kg
        #expect(alpha.contains("<tr><th scope=\"row\">2020</th><td class=\"num\">112.50</td><td class=\"num\">0.20</td><td class=\"num\">112.70</td></tr>"))
        #expect(alpha.contains("Exceeds permit"))
        let json = site.read("data/disclosures.json")
        #expect(json.contains("\"amount\":0.1,\"unit\":\"t\""))
    }

    @Test func languageSwitchHreflangAndSubPathLinks() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let page = site.read("en/enterprises/alpha/index.html")
        #expect(page.contains("<link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/sub/path/zh/enterprises/alpha/\">"))
        #expect(page.contains("<a href=\"../../../zh/enterprises/alpha/\" hreflang=\"zh-CN\" lang=\"zh-CN\">中文</a>"))
        #expect(page.contains("href=\"../../../assets/style.css\""))
        #expect(site.read("en/plan/index.html").contains("href=\"/sub/path/en/targets/\""))
        let overridden = try FixtureSite()
        defer { overridden.remove() }
        _ = try await overridden.build(baseURL: "https://mirror.example/")
        #expect(overridden.read("en/plan/index.html").contains("href=\"/en/targets/\""))
    }

    @Test func untranslatedPageFallsBackWithNotice() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let page = site.read("en/plan/goals/index.html")
        #expect(page.contains("<article lang=\"zh-CN\">"))
        #expect(page.contains("has not been translated into English"))
        #expect(!site.read("zh/plan/goals/index.html").contains("尚未译成"))
    }

    @Test func draftsAndUndeclaredColumnsAreNeverPublished() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        for (path, data) in site.snapshot() {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("DRAFT-ONLY-TEXT"), "\(path)")
            #expect(!text.contains("TOP-SECRET-NOTE"), "\(path)")
            #expect(!text.contains("secret_note"), "\(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("zh/secret/index.html").path))
    }

    @Test func everythingFromDataIsEscaped() async throws {
        let payload = "<script>alert(1)</script>\"'&"
        let site = try FixtureSite([
            "data/enterprises.csv": "id,name_zh,name_en,district,industry,status\nalpha,\"\(payload.replacingOccurrences(of: "\"", with: "\"\""))\",\"<img src=x onerror=alert(2)>\",shifeng,smelting,operating\n",
            "data/disclosures.csv": nil, "data/facilities.csv": nil, "data/violations.csv": nil,
            "pages/about.en.md": "---\ntitle: \"<b>bold</b>\"\n---\n<script>alert(3)</script>\n",
        ])
        defer { site.remove() }
        _ = try await site.build()
        for (path, data) in site.snapshot() where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<script>alert"), "\(path)")
            #expect(!text.contains("<img src=x"), "\(path)")
            #expect(!text.contains("<b>bold</b>"), "\(path)")
        }
        #expect(site.read("zh/enterprises/alpha/index.html").contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
    }

    @Test func blacklistSplitsActiveAndHistory() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let page = site.read("en/blacklist/index.html")
        // The sortable table lists every entry with its state; the entries follow, active first.
        #expect(page.contains("<tr data-f-state=\"active\" data-search=\"Alpha Smelter Exceeded limit 罚001\">"))
        #expect(page.contains("<tr data-f-state=\"past\" data-search=\"乙化工厂 Old violation 罚002\">"))
        let details = try #require(page.range(of: "<h2>Currently listed</h2>"))
        let active = page[details.upperBound...]
        let history = try #require(active.range(of: "<h2>History</h2>"))
        let v1 = try #require(active.range(of: "Exceeded limit"))
        let v2 = try #require(active.range(of: "Old violation"))
        #expect(v1.lowerBound < history.lowerBound && history.lowerBound < v2.lowerBound)
    }

    @Test func aSecondBuildOnTheSameOutputWaitsItsTurnWithAClearMessage() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let before = site.snapshot()
        // Close-on-exec, or a child another test spawns meanwhile would inherit the lock.
        let holder = open(OutputLock.path(for: site.output).path, O_RDWR | O_CLOEXEC)
        #expect(flock(holder, LOCK_EX | LOCK_NB) == 0)
        await #expect {
            _ = try await site.build()
        } throws: { error in
            String(describing: error).contains("another Clearwater build is writing")
        }
        #expect(site.snapshot() == before)
        // Unlocked, not only closed: see OutputLock's deinit.
        flock(holder, LOCK_UN)
        close(holder)
        _ = try await site.build()
    }

    @Test func twoBuildsAreByteIdentical() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let first = site.snapshot()
        _ = try await site.build()
        #expect(site.snapshot() == first)
        #expect(first.count >= 40)
    }

    @Test func failedBuildLeavesPreviousOutputUntouchedAndNoStagingFolder() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let before = site.snapshot()
        try Data("id,name_zh\n,\n".utf8).write(to: site.content.appendingPathComponent("data/enterprises.csv"))
        await #expect(throws: ContentErrors.self) { try await site.build() }
        #expect(site.snapshot() == before)
        // Only the lock and the last good build's manifest, decoded datasets and disclosures,
        // name order, decoded pages and search rows stay beside the output, with the copies of
        // the disclosures and the manifest the first build left for the next to write over
        // (`PendingStore.keepsSpareCopy`): no staging folder.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.sorted() == [".public.clearwater.datasets", ".public.clearwater.disclosures", ".public.clearwater.disclosures.spare", ".public.clearwater.lock",
                                     ".public.clearwater.manifest", ".public.clearwater.manifest.spare", ".public.clearwater.names", ".public.clearwater.pages", ".public.clearwater.search"])
    }

    @Test func staleStagingFoldersFromKilledBuildsAreRemoved() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let stale = site.root.appendingPathComponent(".public.clearwater-new-99999")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        _ = try await site.build()
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(!site.read("en/index.html").isEmpty)
    }

    /// On ext4 without a journal the writer makes folders in bins beside the output and moves
    /// them into place (`FolderSpreader`, tested on its own); no bin is left after a build and no
    /// folder of the site carries the bins' top-of-tree mark, after a full build or after a
    /// rebuild that makes a whole new tree.
    @Test func buildsLeaveNoBinsAndNoMarkedFolders() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        func checkTree(_ moment: Comment) throws {
            let folders = [site.output.path, site.output.appendingPathComponent("en/enterprises").path, site.output.appendingPathComponent("zh/enterprises/alpha").path]
            let marks = try ChildProcess.run("/usr/bin/lsattr", ["-d"] + folders)
            let printed = String(decoding: marks.stdout + marks.stderr, as: UTF8.self)
            // lsattr fails only where the file system keeps no such flags at all.
            if marks.status == 0 {
                #expect(!printed.split(separator: "\n").contains { $0.split(separator: " ").first?.contains("T") == true }, "\(moment): \(printed)")
            }
            let beside = try FileManager.default.contentsOfDirectory(atPath: site.root.path)
            #expect(!beside.contains { $0.contains("clearwater-bins") }, "\(moment): \(beside)")
        }
        try checkTree("full build")
        // A rebuild with no spare makes a whole new tree of folders.
        try site.write("data/facilities.csv", site.readContent("data/facilities.csv").replacingOccurrences(of: "Dust filter", with: "Bag filter"))
        let report = try await site.build()
        #expect(report.written > 0 && report.written < report.files)
        try checkTree("first rebuild")
    }

    /// The search index holds each entry's text as queries are folded: compatibility forms
    /// composed (full-width letters become ASCII) and lower case, in English and in Chinese.
    @Test func theSearchIndexFoldsTextAsQueriesAre() async throws {
        let site = try await FixtureSite.built([
            "pages/folding.en.md": "---\ntitle: Upper CASE Report\nweight: 9\n---\nPlain ENGLISH text.\n",
            "pages/folding.zh.md": "---\ntitle: ＰＢ　排放报告\nweight: 9\n---\n全角ＡＢＣ与Ｌｅａｄ。\n",
        ])
        defer { site.remove() }
        // Title, summary (none here) and text, then the snippet as written.
        let index = site.read("search-index.js")
        #expect(index.contains(#""en/folding/","upper case report  plain english text.","Plain ENGLISH text.""#))
        #expect(index.contains(#""zh/folding/","pb 排放报告  全角abc与lead。","全角ＡＢＣ与Ｌｅａｄ。""#))
        // An enterprise by its title in the entry's language, then every name, label, code and id.
        #expect(index.contains(#""en/enterprises/alpha/","alpha smelter 甲冶炼厂 alpha smelter "#))
        #expect(index.contains(#""zh/enterprises/alpha/","甲冶炼厂 甲冶炼厂 alpha smelter "#))
    }

    /// The search index is a script assigning one array, a row of six strings per entry, each
    /// language's rows together; also with one language and one page, where a core's share of
    /// the pages is empty.
    @Test(arguments: ["[zh, en]", "[en]"])
    func theSearchIndexIsOneArrayOfRows(languages: String) async throws {
        var changes: [String: String?] = ["site.yml": FixtureSite.files["site.yml"]?.replacingOccurrences(of: "languages: [zh, en]", with: "languages: \(languages)")]
        if languages == "[en]" {
            for path in FixtureSite.files.keys where path.hasSuffix(".zh.md") || path == "pages/about.en.md" { changes[path] = .some(nil) }
        }
        let site = try await FixtureSite.built(changes)
        defer { site.remove() }
        let script = site.read("search-index.js")
        let prefix = "self.clearwaterSearchIndex = ", suffix = ";\n"
        let start = try #require(script.range(of: prefix)).upperBound
        #expect(script.hasSuffix(suffix))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(script[start...].dropLast(suffix.count).utf8)) as? [[String]])
        #expect(rows.allSatisfy { $0.count == 6 })
        let rowLanguages = rows.map(\.[0])
        let expected = languages == "[en]" ? ["en"] : ["zh", "en"]
        #expect(rowLanguages.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } } == expected)
        #expect(rows.contains { $0[1] == "enterprise" && $0[3] == "en/enterprises/alpha/" })
    }

    @Test func illustrativeNoticeAppearsOnDataPagesOnly() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        #expect(site.read("en/enterprises/alpha/index.html").contains("illustrative examples, not official disclosures"))
        #expect(site.read("zh/enterprises/alpha/index.html").contains("并非官方公开信息"))
        #expect(!site.read("en/about/index.html").contains("not official disclosures"))
    }

    @Test func footerCarriesPublisherContactAndRegistrations() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let page = site.read("zh/about/index.html")
        #expect(page.contains("测试局"))
        #expect(page.contains("联系我们"))
        #expect(page.contains("4302000001"))
        #expect(page.contains("湘ICP备00000000号"))
    }
}

/// The theme satisfies its own Content-Security-Policy: no inline script, style or handler.
@Suite struct ContentSecurityPolicyTests {
    @Test func everyPageCarriesThePolicyAndNeedsNothingInline() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let pages = site.snapshot().filter { $0.key.hasSuffix(".html") }
        #expect(pages.count > 20)
        for (path, data) in pages {
            let html = String(decoding: data, as: UTF8.self)
            #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self';"#), "\(path) lacks the policy")
            #expect(html.range(of: #"<script(?![^>]*\bsrc=)[^>]*>"#, options: .regularExpression) == nil, "\(path) has an inline script")
            #expect(html.range(of: #"\sstyle\s*="#, options: .regularExpression) == nil, "\(path) has a style attribute")
            #expect(html.range(of: #"<[^>]+\son[a-z]+\s*="#, options: .regularExpression) == nil, "\(path) has an event-handler attribute")
            #expect(!html.contains("<style"), "\(path) has an inline style sheet")
        }
    }
}
