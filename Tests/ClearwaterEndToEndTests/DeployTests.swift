import ClearwaterCore
import Crypto
import Foundation
import Testing
import TestSupport

/// `clearwater deploy` into a web root served by a real nginx, and to a real sshd.
@Suite(.serialized) struct DeployTests {
    static let pages = ["en/enterprises/alpha/", "zh/enterprises/alpha/", "en/", "data/disclosures.csv", "en/no-such-page/"]

    /// A second version of the fixture's data: every page above differs between the two.
    func editData(_ site: FixtureSite) throws {
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,99.5,kg"))
        try site.write("site.yml", site.readContent("site.yml").replacingOccurrences(of: "en: Test Site", with: "en: Test Site Two").replacingOccurrences(of: "zh: 测试站点", with: "zh: 测试站点二"))
    }

    func fetchAll(_ base: String) throws -> [String: HTTPClient.Response] {
        var responses: [String: HTTPClient.Response] = [:]
        for page in Self.pages { responses[page] = try HTTPClient.request(base + page) }
        return responses
    }

    @Test func nginxServesWholeReleasesBeforeDuringAndAfterADeployAndAfterRollback() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let webRoot = site.root.appendingPathComponent("www")
        let target = try #require(DeployTarget(webRoot.path))
        try Deployer(site: site.output, target: target, keep: 3).deploy()
        let nginx = try NginxServer(serving: webRoot, in: site.root.appendingPathComponent("nginx"))
        defer { nginx.stop() }
        let base = "http://127.0.0.1:\(nginx.port)/sub/path/"
        let first = try fetchAll(base)
        #expect(first["en/enterprises/alpha/"]?.status == 200)
        #expect(first["en/enterprises/alpha/"]?.body == site.read("en/enterprises/alpha/index.html"))
        #expect(first["en/no-such-page/"]?.status == 404)
        #expect(first["en/no-such-page/"]?.body == site.read("404.html"), "nginx answers with the site's own 404 page")

        try editData(site)
        _ = try await site.build()
        // Bytes decoded as HTTP bodies are, keeping the CSV's byte-order mark.
        let second = Dictionary(uniqueKeysWithValues: Self.pages.map { page in
            (page, String(decoding: site.snapshot()[page.hasSuffix("/") ? page + "index.html" : page] ?? Data(), as: UTF8.self))
        })
        for page in Self.pages.dropLast() { #expect(second[page] != first[page]?.body, "\(page) must differ between the two releases") }

        // Readers fetch from before the deploy starts until after it has finished.
        let finished = DoneFlag()
        let output = site.output
        let deploying = Task.detached {
            defer { finished.set() }
            return try Deployer(site: output, target: target, keep: 3).deploy()
        }
        var seen = (old: 0, new: 0)
        var roundsAfter = 0
        while roundsAfter < 3 {
            let done = finished.isSet
            for page in Self.pages.dropLast() {
                let response = try HTTPClient.request(base + page)
                #expect(response.status == 200, "\(page) answered \(response.status) during the deploy")
                if response.body == first[page]?.body {
                    seen.old += 1
                } else if response.body == second[page] {
                    seen.new += 1
                } else {
                    Issue.record("\(page) was neither release's page during the deploy")
                }
            }
            if done { roundsAfter += 1 }
        }
        _ = try await deploying.value
        #expect(seen.new > 0)
        for (page, response) in try fetchAll(base) where page != "en/no-such-page/" { #expect(response.body == second[page], "\(page) after the deploy") }

        try Deployer(site: site.output, target: target, keep: 3).rollback()
        for (page, response) in try fetchAll(base) { #expect(response.body == first[page]?.body, "\(page) after the rollback") }
    }

    /// The documented server block compresses pages, styles, scripts and the search index for
    /// clients that accept gzip, says so to caches, and sends the bytes as they are to others.
    @Test func nginxCompressesForClientsThatAcceptIt() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let webRoot = site.root.appendingPathComponent("www")
        try Deployer(site: site.output, target: try #require(DeployTarget(webRoot.path)), keep: 3).deploy()
        let nginx = try NginxServer(serving: webRoot, in: site.root.appendingPathComponent("nginx"))
        defer { nginx.stop() }
        let base = "http://127.0.0.1:\(nginx.port)/sub/path/"
        for path in ["en/enterprises/alpha/", "assets/style.css", "assets/clearwater.js", "search-index.js"] {
            let compressed = try HTTPClient.request(base + path, headers: ["Accept-Encoding: gzip"])
            #expect(compressed.status == 200 && compressed.headers["content-encoding"] == "gzip", "\(path): \(compressed.headers)")
            #expect(compressed.headers["vary"] == "Accept-Encoding", "\(path)")
            let plain = try HTTPClient.request(base + path)
            #expect(plain.headers["content-encoding"] == nil, "\(path)")
            #expect(plain.body == site.read(path.hasSuffix("/") ? path + "index.html" : path), "\(path)")
        }
    }

    @Test func releasesCarryVerifiedChecksumsAndOnlyTheNewestAreKept() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let webRoot = site.root.appendingPathComponent("www")
        let deployer = Deployer(site: site.output, target: try #require(DeployTarget(webRoot.path)), keep: 2)
        var ids: [String] = []
        for _ in 1...3 { ids.append(try deployer.deploy()) }
        let releases = try FileManager.default.contentsOfDirectory(atPath: webRoot.appendingPathComponent("releases").path).sorted()
        #expect(releases == Array(ids.suffix(2)))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: webRoot.appendingPathComponent("current").path) == "releases/\(ids[2])")

        let sums = try String(contentsOf: webRoot.appendingPathComponent("current/SHA256SUMS"), encoding: .utf8)
        let listed = Dictionary(uniqueKeysWithValues: sums.split(separator: "\n").map { line in
            (String(line.dropFirst(66).dropFirst(2)), String(line.prefix(64)))
        })
        let files = site.snapshot().filter { !isFolder(site.output.appendingPathComponent($0.key)) }
        for (path, data) in files {
            #expect(listed[path] == SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(), "\(path) in SHA256SUMS")
        }
        #expect(listed.count == files.count)

        // Unchanged files are hard links to the previous release: a deploy copies only what changed.
        let inode = { (id: String) in
            try FileManager.default.attributesOfItem(atPath: webRoot.appendingPathComponent("releases/\(id)/en/index.html").path)[.systemFileNumber] as? Int
        }
        #expect(try inode(ids[1]) == inode(ids[2]))

        try deployer.rollback()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: webRoot.appendingPathComponent("current").path) == "releases/\(ids[1])")
        #expect(throws: Deployer.Failure.self) { try deployer.rollback() }
    }

    @Test func aSiteThatFailsCheckIsNotDeployed() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let build = try runClearwater(["build", "--themes", FixtureSite.themes.path], in: site.root)
        #expect(build.status == 0)
        try site.write("data/targets.csv", "pollutant,medium,year,kind,amount_kg\nPx,air,2013,baseline,1\n")
        let run = try runClearwater(["deploy", "--themes", FixtureSite.themes.path, "www"], in: site.root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("Content/data/targets.csv:2:1: error:"))
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("www/current").path))
    }

    @Test func deploysAndRollsBackOverSSH() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let sshd = try await SSHServer.start(in: site.root.appendingPathComponent("sshd"))
        defer { sshd.stop() }
        let webRoot = site.root.appendingPathComponent("remote-www")
        let destination = "\(sshd.user)@127.0.0.1:\(webRoot.path)"
        let first = try runClearwater(["deploy", "--themes", FixtureSite.themes.path, "--ssh", sshd.sshCommand, destination], in: site.root)
        #expect(first.status == 0, "\(first.stderr)")
        let firstHome = site.read("en/index.html")
        #expect(try String(contentsOf: webRoot.appendingPathComponent("current/en/index.html"), encoding: .utf8) == firstHome)

        try editData(site)
        _ = try await site.build()
        let second = try runClearwater(["deploy", "--themes", FixtureSite.themes.path, "--ssh", sshd.sshCommand, destination], in: site.root)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try String(contentsOf: webRoot.appendingPathComponent("current/en/index.html"), encoding: .utf8) == site.read("en/index.html"))
        #expect(second.stdout.contains("Verifying"))

        let rollback = try runClearwater(["deploy", "--rollback", "--ssh", sshd.sshCommand, destination], in: site.root)
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try String(contentsOf: webRoot.appendingPathComponent("current/en/index.html"), encoding: .utf8) == firstHome)
    }

    private func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Set once by the deploying task, read by the fetching loop.
final class DoneFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
