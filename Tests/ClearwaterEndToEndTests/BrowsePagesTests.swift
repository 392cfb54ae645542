import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The pages a citizen browses beyond the contract's list: districts, charts with their words,
/// pollutant explanations and data views placed in Markdown.
@Suite struct BrowsePagesTests {
    @Test func districtPageSumsItsEnterprises() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let page = site.read("en/districts/shifeng/index.html")
        #expect(page.contains("<h1>Shifeng</h1>"))
        #expect(page.contains("<tr><th scope=\"row\">2020</th><td class=\"num\">112.50</td><td class=\"num\">0.20</td><td class=\"num\">112.70</td></tr>"))
        #expect(page.contains("Alpha Smelter") && page.contains("乙化工厂"))
        #expect(site.read("sitemap.xml").contains("https://example.org/sub/path/zh/districts/shifeng/"))
    }

    @Test func chartsCarryTitleAxisSummaryAndTheTableNumbers() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let alpha = site.read("en/enterprises/alpha/index.html")
        #expect(alpha.contains("<svg class=\"chart\" width=\"100%\""))
        #expect(alpha.contains("role=\"img\" aria-labelledby=\"chart-by-year-title chart-by-year-desc\""))
        #expect(alpha.contains("<text class=\"chart-axis-label\" x=\"0\" y=\"") && alpha.contains(">Kilograms per year</text>"))
        #expect(alpha.contains("Lead: 0.20 kg in 2019, 100.20 kg in 2020 (+50,000%)"))
        let zhAlpha = site.read("zh/enterprises/alpha/index.html")
        #expect(zhAlpha.contains(">千克／年</text>"))
        let cadmium = site.read("en/pollutants/Cd/index.html")
        #expect(cadmium.contains("Enterprises disclosing it in 2020: 1. Largest: Alpha Smelter, 12.50 kg (100% of the total)."))
        let targets = site.read("en/targets/index.html")
        #expect(targets.contains("All media: cut 20.1% so far, 60% required"))
    }

    /// A pollutant page lists each enterprise once with its yearly totals (a province has
    /// hundreds of thousands of disclosures); the enterprise page and the download carry each one.
    @Test func aPollutantPageSumsEachEnterprisePerYear() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let lead = site.read("en/pollutants/Pb/index.html")
        #expect(lead.contains("<th scope=\"col\" class=\"num\" data-key=\"y2020\" data-type=\"number\">2020 (kg)</th>"))
        #expect(lead.contains("<tr data-f-district=\"shifeng\" data-f-exceeds=\"no\" data-search=\"甲冶炼厂 alpha smelter\"><th scope=\"row\" data-sort=\"0\"><a href=\"../../../en/enterprises/alpha/\">Alpha Smelter</a></th><td>Shifeng</td><td class=\"num\" data-sort=\"100.2\">100.20</td><td class=\"num\" data-sort=\"0.2\">0.20</td><td class=\"num\">0</td></tr>"), "\(lead)")
        #expect(lead.components(separatedBy: "<tr class=").count + lead.components(separatedBy: "<tr data-f-district=").count - 2 == 1)
        #expect(site.read("en/enterprises/alpha/index.html").contains("data-f-year=\"2020\" data-f-pollutant=\"Pb\" data-f-medium=\"water\""))
        // Cadmium's 12.5 kg is above alpha's 10 kg permit: the row is flagged and counted.
        #expect(site.read("en/pollutants/Cd/index.html").contains("<tr class=\"exceeds\" data-f-district=\"shifeng\" data-f-exceeds=\"yes\""))
        #expect(site.read("en/pollutants/Cd/index.html").contains("<td class=\"num\" data-sort=\"12.5\">12.50</td><td class=\"num\">1</td></tr>"))
    }

    @Test func pollutantTextsAndDataViewsAppearWhereTheAuthorPutThem() async throws {
        let site = try await FixtureSite.built([
            "pages/pollutants/Cd.en.md": "---\ntitle: Cadmium\n---\nCadmium builds up in rice.\n",
            "pages/plan/index.en.md": "---\ntitle: The plan\n---\nBefore.\n\n{{< view targets-table >}}\n\nAfter.\n",
        ])
        defer { site.remove() }
        #expect(site.read("en/pollutants/Cd/index.html").contains("<p>Cadmium builds up in rice.</p>"))
        let plan = site.read("en/plan/index.html")
        let before = try #require(plan.range(of: "<p>Before.</p>"))
        let table = try #require(plan.range(of: "<caption id=\"targets-caption\">"))
        let after = try #require(plan.range(of: "<p>After.</p>"))
        #expect(before.upperBound < table.lowerBound && table.upperBound < after.lowerBound)
        #expect(plan.contains("<td class=\"num\">100.30</td>"))
    }

    @Test func unknownViewsAndPollutantTextsAreLocatedErrors() throws {
        let site = try FixtureSite([
            "pages/plan/index.en.md": "---\ntitle: The plan\n---\nText.\n\n  {{< view target-table >}}\n",
            "pages/pollutants/Zn.en.md": "---\ntitle: Zinc\n---\nZinc.\n",
        ])
        defer { site.remove() }
        let errors = site.check().filter { $0.severity == .error }.map(\.description)
        #expect(errors.contains { $0.hasPrefix("Content/pages/plan/index.en.md:6:3: error: '{{< view target-table >}}' is not a data view") })
        #expect(errors.contains { $0.hasPrefix("Content/pages/pollutants/Zn.en.md:0:0: error: pages/pollutants/ holds one page per pollutant") })
    }
}
