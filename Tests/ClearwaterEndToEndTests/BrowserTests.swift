import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The theme's script run by a real browser: headless Chromium loads built pages from disk
/// (the site works from `file://` too) and the test reads the DOM after the script ran.
/// `script/bootstrap --test` installs Chromium, so these tests never skip.
@Suite(.serialized) struct BrowserTests {
    static let pages: [String: String?] = [
        "pages/plan/tasks.zh.md": "---\ntitle: 主要任务\n---\n推动株冶集团等清水塘企业搬迁，削减镉排放。\n",
        "pages/plan/tasks.en.md": "---\ntitle: Main tasks\n---\nRelocate the Qingshuitang smelters and cut cadmium.\n",
    ]

    /// The page's DOM once its scripts have run; `--virtual-time-budget` lets the index load
    /// and the search finish before the dump, with no sleeping on our side.
    static func dom(_ site: FixtureSite, _ page: String, query: String) throws -> String {
        var components = URLComponents(url: site.output.appendingPathComponent(page), resolvingAgainstBaseURL: false)!
        components.percentEncodedQuery = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)
        let result = try ChildProcess.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                                                       "--user-data-dir=" + site.root.appendingPathComponent("chromium").path,
                                                       "--virtual-time-budget=5000", "--dump-dom", components.url!.absoluteString])
        return String(decoding: result.stdout, as: UTF8.self)
    }

    static func results(_ dom: String) -> [String] {
        guard let list = dom.range(of: "<ol class=\"search-results\">"), let end = dom.range(of: "</ol>", range: list.upperBound..<dom.endIndex) else { return [] }
        return dom[list.upperBound..<end.lowerBound].components(separatedBy: "<li>").dropFirst().compactMap { item in
            item.range(of: "href=\"").map { start in String(item[start.upperBound...].prefix { $0 != "\"" }) }
        }
    }

    @Test func chineseAndEnglishQueriesFindWhatContainsThem() async throws {
        let site = try await FixtureSite.built(Self.pages)
        defer { site.remove() }
        let cases: [(page: String, query: String, expected: String)] = [
            ("zh/search/index.html", "q=株冶", "../../zh/plan/tasks/"),
            ("zh/search/index.html", "q=清水塘", "../../zh/plan/tasks/"),
            ("zh/search/index.html", "q=镉", "../../zh/pollutants/Cd/"),
            ("zh/search/index.html", "q=甲冶炼", "../../zh/enterprises/alpha/"),
            ("en/search/index.html", "q=alpha smelter", "../../en/enterprises/alpha/"),
            ("en/search/index.html", "q=91350100M000100Y43", "../../en/enterprises/alpha/"),
            ("en/search/index.html", "q=Shifeng", "../../en/districts/shifeng/"),
            ("en/search/index.html", "q=cadmium", "../../en/pollutants/Cd/"),
        ]
        for (page, query, expected) in cases {
            let found = Self.results(try Self.dom(site, page, query: query))
            #expect(found.contains(expected), "\(query) on \(page) found \(found)")
        }
        let none = try Self.dom(site, "en/search/index.html", query: "q=zzzz-nothing")
        #expect(Self.results(none).isEmpty)
        #expect(none.contains("Nothing found"))
    }

    @Test func aQueryInTheOtherLanguageIsMarked() async throws {
        let site = try await FixtureSite.built(Self.pages)
        defer { site.remove() }
        let dom = try Self.dom(site, "en/search/index.html", query: "q=株冶")
        #expect(Self.results(dom).contains("../../zh/plan/tasks/"))
        #expect(dom.contains("<span class=\"other-language\">(in 中文)</span>"))
    }

    @Test func filtersAndSortStateComeFromTheAddress() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let filtered = try Self.dom(site, "en/enterprises/index.html", query: "status=closed")
        #expect(filtered.contains("<tr data-search=\"甲冶炼厂 alpha smelter 91350100m000100y43 alpha\" data-f-district=\"shifeng\" data-f-industry=\"smelting\" data-f-status=\"operating\" data-f-key_regulated=\"yes\" hidden=\"\">"))
        #expect(filtered.contains("Showing 1 of 2 rows"))
        let exceedances = try Self.dom(site, "en/enterprises/alpha/index.html", query: "exceeds=yes")
        #expect(exceedances.contains("Showing 1 of 4 rows"))
        let sorted = try Self.dom(site, "en/enterprises/alpha/index.html", query: "sort=disclosures.amount.desc")
        // Amounts sort by kilograms whatever their unit (0.1 t = 100 kg first); ties keep their order.
        let order = sorted.components(separatedBy: " data-f-year=\"").dropFirst().map { row in
            row.components(separatedBy: "\"").enumerated().filter { $0.offset % 2 == 0 }.prefix(3).map(\.element).joined(separator: " ")
        }
        #expect(order == ["2020 Pb air", "2020 Cd air", "2020 Pb water", "2019 Pb air"], "\(order)")
        #expect(sorted.contains("data-key=\"amount\" data-type=\"number\" aria-sort=\"descending\""))
    }
}
