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

    /// 250 enterprises, every second one closed: the directory is longer than a page of 100.
    static let longDirectory: [String: String?] = [
        "data/enterprises.csv": "id,name_zh,name_en,district,industry,status\n" + (1...250).map { number in
            let id = String(format: "e%03d", number)
            return "\(id),企业\(id),Enterprise \(id),shifeng,smelting,\(number.isMultiple(of: 2) ? "closed" : "operating")\n"
        }.joined(),
        "data/disclosures.csv": "enterprise_id,year,pollutant,medium,amount,unit\ne001,2020,Pb,air,1,kg\n",
        "data/facilities.csv": "enterprise_id,id,name_zh,status\n",
        "data/violations.csv": "id,enterprise_id,date,violation_zh\n",
    ]

    /// The enterprises of the directory's rows the script shows, in order.
    static func shownRows(_ dom: String) -> [String] {
        dom.components(separatedBy: "<tr data-search=").dropFirst().compactMap { row in
            let tag = row.prefix { $0 != ">" }
            guard !tag.contains("hidden"), let link = row.range(of: "enterprises/") else { return nil }
            return String(row[link.upperBound...].prefix { $0 != "/" })
        }
    }

    @Test func aLongTableShowsAPageAtATimeWithItsPlaceInTheAddress() async throws {
        let site = try await FixtureSite.built(Self.longDirectory)
        defer { site.remove() }
        let first = try Self.dom(site, "en/enterprises/index.html", query: "")
        #expect(Self.shownRows(first) == (1...100).map { String(format: "e%03d", $0) })
        #expect(first.contains("Rows 1–100 of 250"))
        #expect(first.contains("<button type=\"button\" data-step=\"-1\" disabled=\"\">"))
        // Every row is still in the page, for readers without the script.
        #expect(first.components(separatedBy: "<tr data-search=").count - 1 == 250)

        let last = try Self.dom(site, "en/enterprises/index.html", query: "page=directory.3")
        #expect(Self.shownRows(last) == (201...250).map { String(format: "e%03d", $0) })
        #expect(last.contains("Rows 201–250 of 250"))
        #expect(last.contains("<button type=\"button\" data-step=\"1\" disabled=\"\">"))

        // Sorted, then paged: the second page of names in reverse.
        let sorted = try Self.dom(site, "en/enterprises/index.html", query: "sort=directory.name.desc&page=directory.2")
        #expect(Self.shownRows(sorted) == (51...150).reversed().map { String(format: "e%03d", $0) })

        // Filtered, then paged: the filter counts every row it keeps, the pager the page of them.
        let closed = try Self.dom(site, "en/enterprises/index.html", query: "status=closed&page=directory.2")
        #expect(Self.shownRows(closed) == stride(from: 202, through: 250, by: 2).map { String(format: "e%03d", $0) })
        #expect(closed.contains("Showing 125 of 250 rows"))
        #expect(closed.contains("Rows 101–125 of 125"))

        // A page past the end shows the last one.
        let beyond = try Self.dom(site, "zh/enterprises/index.html", query: "page=directory.9")
        #expect(Self.shownRows(beyond).count == 50)
        #expect(beyond.contains("第 201–250 行，共 250 行"))
        // Past the end of what the filter keeps, though not of the table: the filter's last page.
        let beyondKept = try Self.dom(site, "en/enterprises/index.html", query: "status=closed&page=directory.3")
        #expect(Self.shownRows(beyondKept) == stride(from: 202, through: 250, by: 2).map { String(format: "e%03d", $0) })
        #expect(beyondKept.contains("Rows 101–125 of 125"))
    }

    @Test func aShortTableHasNoPager() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let dom = try Self.dom(site, "en/enterprises/index.html", query: "")
        #expect(dom.contains("<nav class=\"pager\" aria-label=\"Pages of this table\" hidden=\"\">"))
        #expect(Self.shownRows(dom) == ["alpha", "beta"])
    }
}
