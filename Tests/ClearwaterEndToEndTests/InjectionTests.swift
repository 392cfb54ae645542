import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// A corpus of script-injection payloads placed in every text the site publishes (every
/// text column, front matter, vocabulary labels, site settings, Markdown with raw HTML and
/// `javascript:`/`data:` links, the search and filter parameters of the address), built,
/// then every page opened in headless Chromium: none of the payloads may run.
@Suite(.serialized) struct InjectionTests {
    /// What every payload does if it runs: a mark on the document a DOM dump shows as
    /// `data-pwned="yes"`, a text that no payload contains literally.
    static let run = "document.documentElement.setAttribute('data-pwned','yes')"
    static let payloads = [
        "<script>\(run)</script>",
        "<img src=x onerror=\"\(run)\">",
        "\"><svg onload=\"\(run)\">",
        "'><img src=x onerror='\(run)'>",
        "javascript:\(run)",
        "</title><script>\(run)</script>",
        "</textarea><script>\(run)</script>",
        "]]><script>\(run)</script>",
        "<iframe srcdoc=\"<script>parent.\(run)</script>\"></iframe>",
        "\u{2028}</script><script>\(run)</script>",
        "data:text/html,<script>\(run)</script>",
        "<a href=\"javascript:\(run)\" id=x>x</a><details open ontoggle=\"\(run)\">",
        "<math><mtext><table><mglyph><style><img src=x onerror=\"\(run)\">",
        "{{x}}{{{x}}}<svg><script>\(run)</script></svg>",
    ]

    static func payload(_ index: Int) -> String { payloads[index % payloads.count] }

    static func csv(_ rows: [[String]]) -> String {
        rows.map { row in row.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func yaml(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\u{2028}", with: "\\L") + "\""
    }

    static func labels(_ index: Int) -> String { "{ zh: \(yaml(payload(index))), en: \(yaml(payload(index + 1))) }" }

    /// The fixture with a payload in every published text.
    static func corpus(unsafeHTML: Bool) -> [String: String?] {
        var p = 0
        func next() -> String { defer { p += 1 }; return payload(p) }
        let markdown = Self.payloads.joined(separator: "\n\n") + """

            [link](javascript:\(run)) [data](data:text/html,<script>\(run)</script>) ![img](javascript:\(run))
            <javascript:\(run)> <a href="javascript:\(run)">raw link</a>

            {{< view targets-table >}}

            """
        return [
            "site.yml": """
                title: { zh: \(yaml(next())), en: \(yaml(next())) }
                description: { zh: \(yaml(next())), en: \(yaml(next())) }
                publisher: { zh: \(yaml(next())), en: \(yaml(next())) }
                contact: { zh: \(yaml(next())), en: \(yaml(next())) }
                site_code: \(yaml(next()))
                icp_record: \(yaml(next()))
                police_record: \(yaml(next()))
                base_url: https://example.org/sub/path/
                data_as_of: 2020-12-31
                languages: [zh, en]
                unsafe_html: \(unsafeHTML)
                illustrative_data: true

                """,
            "vocabulary.yml": """
                pollutants: { Pb: \(labels(0)), Cd: \(labels(2)) }
                media: { air: \(labels(4)), water: \(labels(6)) }
                statuses: { operating: \(labels(8)), closed: \(labels(10)) }
                industries: { "x\\"><img src=x onerror=y>": \(labels(12)) }
                districts: { shifeng: \(labels(1)) }
                discharge_methods: { continuous: \(labels(3)) }
                facility_statuses: { running: \(labels(5)) }

                """,
            "data/enterprises.csv": csv([
                ["id", "name_zh", "name_en", "district", "industry", "status", "status_since", "address_zh", "address_en"],
                ["alpha", next(), next(), "shifeng", "x\"><img src=x onerror=y>", "operating", "2020-01-01", next(), next()],
                ["beta", next(), next(), "shifeng", "x\"><img src=x onerror=y>", "closed", "2020-06-01", next(), next()],
            ]),
            "data/disclosures.csv": csv([
                ["enterprise_id", "year", "pollutant", "medium", "amount", "unit", "method", "destination_zh", "destination_en", "limit", "basis", "source"],
                ["alpha", "2020", "Pb", "air", "12.5", "kg", "continuous", next(), next(), "10", "measured", next()],
                ["alpha", "2019", "Cd", "water", "1.5", "kg", "continuous", next(), next(), "", "estimated", next()],
                ["beta", "2020", "Cd", "air", "3", "kg", "", next(), next(), "", "", next()],
            ]),
            "data/facilities.csv": csv([
                ["enterprise_id", "id", "name_zh", "name_en", "status", "since"],
                ["alpha", "f1", next(), next(), "running", "2018-01-01"],
            ]),
            "data/violations.csv": csv([
                ["id", "enterprise_id", "date", "decision_no", "violation_zh", "violation_en", "penalty_zh", "penalty_en", "fine_yuan", "listed_until", "response_zh", "response_en"],
                ["v1", "alpha", "2020-06-01", next(), next(), next(), next(), next(), "100", "2021-06-01", next(), next()],
                ["v2", "beta", "2018-06-01", next(), next(), next(), next(), next(), "", "2019-06-01", next(), next()],
            ]),
            "pages/plan/index.zh.md": "---\ntitle: \(yaml(next()))\nsummary: \(yaml(next()))\nweight: 1\n---\n" + markdown,
            "pages/plan/index.en.md": "---\ntitle: \(yaml(next()))\nsummary: \(yaml(next()))\nweight: 1\n---\n" + markdown,
            "pages/plan/goals.zh.md": "---\ntitle: \(yaml(next()))\nsummary: \(yaml(next()))\ndate: 2020-01-01\n---\n" + markdown,
            "pages/index.en.md": "---\ntitle: \(yaml(next()))\n---\n" + markdown,
        ]
    }

    /// The DOM of `page` after its scripts ran, in headless Chromium from `file://`.
    static func dom(_ site: FixtureSite, _ page: String, query: String = "", profile: Int) throws -> String {
        var components = URLComponents(url: site.output.appendingPathComponent(page), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.percentEncodedQuery = query }
        let result = try ChildProcess.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                                                       "--user-data-dir=" + site.root.appendingPathComponent("chromium-\(profile)").path,
                                                       "--virtual-time-budget=3000", "--dump-dom", components.url!.absoluteString])
        return String(decoding: result.stdout, as: UTF8.self)
    }

    /// Opens every page two at a time (the machine has two cores) and returns the pages on
    /// which a payload ran, or whose DOM could not be read.
    static func pagesWherePayloadsRan(_ site: FixtureSite, _ visits: [(page: String, query: String)]) -> [String] {
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: visits.count) { index in
            let (page, query) = visits[index]
            // A profile of its own per visit: two Chromiums on one profile hand over to each other and print nothing.
            let dom = (try? Self.dom(site, page, query: query, profile: index)) ?? ""
            if !dom.contains("</html>") || dom.contains("data-pwned=\"yes\"") { failures.add("\(page)?\(query)") }
        }
        return failures.all
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var pages: [String] = []
        func add(_ page: String) { lock.withLock { pages.append(page) } }
        var all: [String] { lock.withLock { pages.sorted() } }
    }

    static func encodedQuery(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// Escaping alone must hold: the pages are opened with their Content-Security-Policy
    /// removed, so a payload the policy would have stopped still counts.
    @Test func noPayloadRunsOnAnyPageInABrowser() async throws {
        let site = try await FixtureSite.built(Self.corpus(unsafeHTML: false))
        defer { site.remove() }
        let pages = site.snapshot().keys.filter { $0.hasSuffix(".html") }.sorted()
        #expect(pages.count > 30)
        for page in pages {
            let url = site.output.appendingPathComponent(page)
            let html = try String(contentsOf: url, encoding: .utf8)
            let withoutPolicy = html.replacingOccurrences(of: #"<meta http-equiv="Content-Security-Policy"[^>]*>"#, with: "", options: .regularExpression)
            #expect(withoutPolicy != html, "\(page) has no policy to remove")
            try Data(withoutPolicy.utf8).write(to: url)
        }
        var visits = pages.map { (page: $0, query: "") }
        for language in ["zh", "en"] {
            for payload in [Self.payloads[0], Self.payloads[1], Self.payloads[2]] {
                visits.append(("\(language)/search/index.html", Self.encodedQuery([("q", payload)])))
                visits.append(("\(language)/search/index.html", Self.encodedQuery([("q", "alpha")])))
                visits.append(("\(language)/enterprises/index.html", Self.encodedQuery([("district", payload), ("sort", payload), ("status", "closed")])))
                visits.append(("\(language)/enterprises/alpha/index.html", Self.encodedQuery([("exceeds", payload), ("sort", "disclosures.amount.desc")])))
            }
        }
        #expect(Self.pagesWherePayloadsRan(site, visits) == [])
    }

    @Test func theHTMLCarriesNoMarkupFromTheData() async throws {
        let site = try await FixtureSite.built(Self.corpus(unsafeHTML: false))
        defer { site.remove() }
        for (path, bytes) in site.snapshot() where path.hasSuffix(".html") || path.hasSuffix(".xml") || path.hasSuffix(".js") {
            let text = String(decoding: bytes, as: UTF8.self)
            let scripts = text.components(separatedBy: "<script").count - 1
            let ownScripts = text.components(separatedBy: "<script src=\"").count - 1
            #expect(scripts == ownScripts, "\(path) has a script tag that is not the theme's")
            #expect(text.range(of: #"<[a-zA-Z]+(?:\s+[a-zA-Z:-]+(?:="[^"]*")?)*\s+on[a-zA-Z]+\s*="#, options: .regularExpression) == nil, "\(path) has an event-handler attribute")
            #expect(!text.contains("href=\"javascript:") && !text.contains("src=\"javascript:") && !text.contains("href=\"data:"), "\(path) has a script URL")
            #expect(!text.contains("\u{2028}</script>"), "\(path)")
        }
    }

    /// With `unsafe_html: true` the bureau's own raw HTML passes through; the policy, kept
    /// on these pages, still stops any script in it from running.
    @Test func rawHTMLPassedThroughByChoiceStillCannotRunScript() async throws {
        let site = try await FixtureSite.built(Self.corpus(unsafeHTML: true))
        defer { site.remove() }
        #expect(site.read("zh/plan/index.html").contains("<script>\(Self.run)</script>"))
        let pages = ["zh/plan/index.html", "en/plan/index.html", "zh/plan/goals/index.html", "en/index.html", "zh/index.html"]
        #expect(Self.pagesWherePayloadsRan(site, pages.map { ($0, "") }) == [])
    }

    @Test func payloadsInFileNamesAndIdsAreRefusedNotPublished() throws {
        let site = try FixtureSite([
            "data/enterprises.csv": "id,name_zh,district,industry,status\n\"a\"\"><script>x</script>\",名,shifeng,smelting,operating\n../../etc,名,shifeng,smelting,operating\n",
        ])
        defer { site.remove() }
        try Data("---\ntitle: x\n---\nx\n".utf8).write(to: site.content.appendingPathComponent("pages/a\"><script>x<.zh.md"))
        let errors = site.check().filter { $0.severity == .error }.map(\.description)
        #expect(errors.contains { $0.hasPrefix("Content/data/enterprises.csv:2:1: error: 'id' must be lower-case letters") })
        #expect(errors.contains { $0.hasPrefix("Content/data/enterprises.csv:3:1: error: 'id' must be lower-case letters") })
        #expect(errors.contains { $0.hasPrefix("Content/pages/a\"><script>x<.zh.md:0:0: error: 'a\"><script>x<' cannot be part of a page URL") }, "\(errors)")
    }
}
