import Foundation
import Testing
import TestSupport

/// `clearwater serve` as a real process on a free loopback port, driven over real HTTP.
@Suite struct ServeTests {
    static let binary = FixtureSite.repository.appendingPathComponent(".build/debug/clearwater").path

    /// `http://127.0.0.1:PORT` from the line `Serving http://127.0.0.1:PORT/base/path/ (…)`.
    static func origin(of serving: String) -> String? {
        serving.split(separator: " ").dropFirst().first.map { String($0.split(separator: "/").prefix(2).joined(separator: "//")) }
    }

    @Test func servesRebuildsReloadsAndShowsErrors() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let server = try RunningProcess(Self.binary, ["serve", "--port", "0", "--themes", FixtureSite.themes.path], in: site.root)
        defer { server.stop() }
        let serving = try await server.line { $0.hasPrefix("Serving http://") }
        let origin = try #require(Self.origin(of: serving))
        let base = origin + "/sub/path/"

        // The site under its base path, with the reload script added on the way out only.
        let page = try HTTPClient.request(base + "en/enterprises/alpha/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.body.contains("Alpha Smelter") && page.body.contains("12.5"))
        #expect(page.body.contains("/__clearwater/live.js"))
        #expect(!site.read("en/enterprises/alpha/index.html").contains("__clearwater"))
        #expect(try HTTPClient.request(origin + "/").headers["location"] == "/sub/path/")

        let head = try HTTPClient.request(base + "en/enterprises/alpha/", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(head.headers["content-length"] == String(page.body.utf8.count))
        #expect(try HTTPClient.request(base + "assets/style.css").headers["content-type"] == "text/css; charset=utf-8")
        #expect(try HTTPClient.request(base + "data/disclosures.csv").headers["content-type"] == "text/csv; charset=utf-8")
        #expect(try HTTPClient.request(base + "en/enterprises/alpha", method: "HEAD").status == 301)
        #expect(try HTTPClient.request(base + "en/", method: "DELETE").status == 405)

        // 404s use the site's own page; nothing outside the output folder is reachable.
        let missing = try HTTPClient.request(base + "en/no-such-page/")
        #expect(missing.status == 404)
        #expect(missing.body.contains(site.read("404.html").prefix(200)))
        try FileManager.default.createSymbolicLink(atPath: site.output.appendingPathComponent("escape.txt").path, withDestinationPath: site.content.appendingPathComponent("site.yml").path)
        for path in ["../../Content/site.yml", "%2e%2e/%2e%2e/Content/site.yml", "..%2f..%2fContent%2fsite.yml", "escape.txt", "en/%00", "..%5c..%5cContent%5csite.yml"] {
            let response = try HTTPClient.request(base + path)
            #expect(response.status == 404, "\(path) answered \(response.status)")
            #expect(!response.body.contains("base_url"), "\(path) leaked site.yml")
        }

        // A changed row appears, announced to a live-reload client. Saving a file can reach the
        // watcher as more than one change, each making a build: announcements are read until the
        // page has the edit, and the page carries the number of a build announced since.
        let events = try RunningProcess("curl", [ "--silent", "--no-buffer", origin + "/__clearwater/events"], in: site.root)
        defer { events.stop() }
        let first = try await events.line { $0.hasPrefix("data: ") }
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,13.25,kg"))
        let second = try await events.line { $0.hasPrefix("data: ") && $0 != first }
        var updated = try HTTPClient.request(base + "en/enterprises/alpha/")
        while !updated.body.contains("13.25") {
            _ = try await events.line { $0.hasPrefix("data: ") }
            updated = try HTTPClient.request(base + "en/enterprises/alpha/")
        }
        #expect(generation(in: updated.body) ?? 0 >= Int(second.dropFirst(6)) ?? .max)

        // A broken edit keeps the last good page and shows every error, located.
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv") + "alpha,20x0,Pb,air,1,kg,,,,,,\n")
        var broken = try HTTPClient.request(base + "en/enterprises/alpha/")
        while !broken.body.contains("id=\"clearwater-errors\"") {
            _ = try await events.line { $0.hasPrefix("data: ") }
            broken = try HTTPClient.request(base + "en/enterprises/alpha/")
        }
        #expect(broken.body.contains("13.25"))
        #expect(broken.body.contains("Content/data/disclosures.csv:6:7: error:"))
        _ = try await server.line { $0.contains("still serving the last good build") }

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,20x0,", with: "alpha,2018,"))
        _ = try await server.line { $0.hasPrefix("Built ") }
        let fixed = try HTTPClient.request(base + "en/enterprises/alpha/")
        #expect(!fixed.body.contains("clearwater-errors"))
        #expect(fixed.body.contains("2018"))
    }

    /// The last good site is served at its base path even when the first build of the session fails.
    @Test func aFailingFirstBuildStillServesTheLastGoodSiteInItsPlace() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv") + "alpha,20x0,Pb,air,1,kg,,,,,,\n")
        let server = try RunningProcess(Self.binary, ["serve", "--port", "0", "--themes", FixtureSite.themes.path], in: site.root)
        defer { server.stop() }
        let serving = try await server.line { $0.hasPrefix("Serving http://") }
        #expect(serving.contains("/sub/path/"))
        let origin = try #require(Self.origin(of: serving))
        let page = try HTTPClient.request(origin + "/sub/path/en/enterprises/alpha/")
        #expect(page.status == 200)
        #expect(page.body.contains("Alpha Smelter"))
        #expect(page.body.contains("Content/data/disclosures.csv:6:7: error:"))
    }

    /// wrk's summary, parsed: requests made, and every kind of failure it counts.
    struct LoadResult {
        let requests: Int
        let failures: [String]

        init(_ output: String) {
            let words = output.split(whereSeparator: \.isWhitespace)
            requests = words.firstIndex(of: "requests").flatMap { Int(words[$0 - 1]) } ?? 0
            failures = output.split(separator: "\n").map(String.init).filter { $0.contains("Socket errors") || $0.contains("Non-2xx") }
        }
    }

    /// 64 connections for three seconds on pages, assets and data while a burst of twenty
    /// edits lands: every response is a success, and the last edit is what is served after.
    @Test func keepsServingUnderConcurrentLoadAndABurstOfEdits() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let server = try RunningProcess(Self.binary, ["serve", "--port", "0", "--themes", FixtureSite.themes.path], in: site.root)
        defer { server.stop() }
        let origin = try #require(Self.origin(of: try await server.line { $0.hasPrefix("Serving http://") }))
        let base = origin + "/sub/path/"
        let loads = try ["en/enterprises/alpha/", "zh/", "assets/style.css", "data/disclosures.csv"].map { path in
            try RunningProcess("wrk", ["--threads", "2", "--connections", "16", "--duration", "3s", base + path], in: site.root)
        }
        let original = site.readContent("data/disclosures.csv")
        for edit in 1...20 {
            try site.write("data/disclosures.csv", original.replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,\(600 + edit).25,kg"))
        }
        for load in loads {
            _ = try await load.line { $0.contains("Transfer/sec") }
            let result = LoadResult(load.transcript.joined(separator: "\n"))
            #expect(result.requests > 100, "\(load.transcript)")
            #expect(result.failures.isEmpty, "\(result.failures)")
        }
        _ = try await server.line { $0.hasPrefix("Built ") }
        var page = try HTTPClient.request(base + "en/enterprises/alpha/")
        // Edits after the last build started are picked up by one more; wait for it if needed.
        while !page.body.contains("620.25") {
            _ = try await server.line { $0.hasPrefix("Built ") }
            page = try HTTPClient.request(base + "en/enterprises/alpha/")
        }
        #expect(page.status == 200)
    }

    /// The build number a served page carries for live reload.
    private func generation(in html: String) -> Int? {
        guard let start = html.range(of: "data-generation=\"")?.upperBound, let end = html[start...].firstIndex(of: "\"") else { return nil }
        return Int(html[start..<end])
    }
}
