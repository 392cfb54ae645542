import ClearwaterCore
import Crypto
import Foundation
import Testing
import TestSupport

/// Incremental builds against clean builds of the same input, over the same previous output.
@Suite struct IncrementalBuildTests {
    /// Two outputs follow the same series of edits: one built incrementally, one with `--clean`.
    /// After every edit they must be byte-identical, and files whose bytes did not change must
    /// not have been touched at all.
    @Test func randomEditsGiveWhatCleanBuildsGive() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let themes = site.root.appendingPathComponent("Themes")
        try FileManager.default.copyItem(at: FixtureSite.themes, to: themes)
        var incremental = site.options()
        incremental.themes = themes
        var clean = incremental
        clean.output = site.root.appendingPathComponent("public-clean")
        clean.clean = true
        _ = try await Builder(options: incremental).build()
        _ = try await Builder(options: clean).build()

        var editor = ContentEditor(site: site, themes: themes)
        var random = SeededGenerator(seed: 20_261_129)
        for step in 1...60 {
            let edit = try editor.randomEdit(step: step, using: &random)
            let before = site.snapshot()
            let stampsBefore = stamps(in: site.output)
            let report = try await Builder(options: incremental).build()
            _ = try await Builder(options: clean).build()

            let after = site.snapshot()
            let differing = differences(after, site.snapshot(of: clean.output))
            #expect(differing.isEmpty, "step \(step), \(edit): incremental and clean builds differ in \(differing)")
            let stampsAfter = stamps(in: site.output)
            let rewritten = stampsAfter.filter { before[$0.key] == after[$0.key] && stampsBefore[$0.key] != $0.value }
            #expect(rewritten.isEmpty, "step \(step), \(edit): rewrote unchanged files \(rewritten.keys.sorted())")
            let changedFiles = Set(stampsBefore.keys).union(stampsAfter.keys).filter { before[$0] != after[$0] }
            #expect(report.written == changedFiles.count, "step \(step), \(edit): reported \(report.written) files written, \(changedFiles.count) changed")
        }
    }

    /// The directory and the pollutants overview total the latest year: a corrected figure of
    /// an earlier year must leave them as they are, unrendered, and one of the latest year must
    /// make them again with the new total.
    @Test func anEarlierYearsFigureLeavesTheLatestYearsSummariesAlone() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let summaries = ["en/enterprises/index.html", "zh/enterprises/index.html", "en/pollutants/index.html", "zh/pollutants/index.html"]
        let inodes = { try summaries.map { try FileManager.default.attributesOfItem(atPath: site.output.appendingPathComponent($0).path)[.systemFileNumber] as? Int } }
        let before = try inodes()
        let (directory, overview) = (site.read("en/enterprises/index.html"), site.read("en/pollutants/index.html"))

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2019,Pb,air,0.2,kg", with: "alpha,2019,Pb,air,0.3,kg"))
        let earlier = try await Builder(options: site.options()).build()
        #expect(try inodes() == before)
        #expect(site.read("en/enterprises/index.html") == directory && site.read("en/pollutants/index.html") == overview)
        #expect(site.read("en/enterprises/alpha/index.html").contains("0.3"))
        #expect(earlier.rendered < earlier.pages - summaries.count)

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,17.5,kg"))
        _ = try await Builder(options: site.options()).build()
        #expect(try inodes().allSatisfy { !before.contains($0) })
        #expect(site.read("en/pollutants/index.html").contains("17.50"))
    }

    /// Open data of several megabytes goes to the writer in parts. Made again with the same
    /// bytes (another dataset changed), the output's file must be kept as it was; made with
    /// other bytes, it must be what a clean build writes.
    @Test func aLargeDownloadMadeAgainKeepsItsFileWhenItsBytesAreTheSame() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("data/disclosures.csv", Self.longDisclosures(Self.longRows(of: "alpha", years: 1900..<2900)))
        var clean = site.options()
        clean.output = site.root.appendingPathComponent("public-clean")
        clean.clean = true
        _ = try await Builder(options: site.options()).build()
        let json = site.output.appendingPathComponent("data/disclosures.json").path
        #expect((try FileManager.default.attributesOfItem(atPath: json)[.size] as? Int ?? 0) > 4 << 20, "large enough to go in parts")
        let inode = { try FileManager.default.attributesOfItem(atPath: json)[.systemFileNumber] as? Int }
        let first = try inode()

        try site.write("data/facilities.csv", site.readContent("data/facilities.csv").replacingOccurrences(of: "running", with: "stopped"))
        let kept = try await Builder(options: site.options()).build()
        _ = try await Builder(options: clean).build()
        #expect(try inode() == first)
        #expect(site.snapshot() == site.snapshot(of: clean.output))
        #expect(kept.written < 30, "\(kept.written) files written for one facility")

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2500,Pb,air,75.5,kg", with: "alpha,2500,Pb,air,75.6,kg"))
        _ = try await Builder(options: site.options()).build()
        _ = try await Builder(options: clean).build()
        #expect(try inode() != first)
        #expect(site.snapshot() == site.snapshot(of: clean.output))
    }

    /// A large download that a rebuild replaced in place stays beside the output, in the spare,
    /// and the next rebuild writes its new one over it instead of filling new memory (a build
    /// into a new folder leaves a copy there for the first); never over a file something still
    /// holds open, as a web server may that began sending it when it was published. Shorter or
    /// longer, the result is what a clean build writes.
    @Test func aLargeDownloadIsWrittenOverTheOneTheLastRebuildReplaced() async throws {
        var files = FaultTests.larger
        files["data/disclosures.csv"] = files["data/disclosures.csv"]!.map { $0 + Self.longRows(of: "e7", years: 2100..<3100).joined(separator: "\n") + "\n" }
        let site = try FixtureSite(files)
        defer { site.remove() }
        var clean = site.options()
        clean.output = site.root.appendingPathComponent("public-clean")
        clean.clean = true
        // Both from the same first build, so that both change logs hold the same changes.
        _ = try await Builder(options: site.options()).build()
        _ = try await Builder(options: clean).build()
        let json = "data/disclosures.json"
        let spare = site.root.appendingPathComponent(".public.clearwater-spare")
        let inode = { (tree: URL) in try FileManager.default.attributesOfItem(atPath: tree.appendingPathComponent(json).path)[.systemFileNumber] as? Int }
        func change(_ what: String, _ edit: (String) -> String) async throws {
            try site.write("data/disclosures.csv", edit(site.readContent("data/disclosures.csv")))
            let report = try await Builder(options: site.options()).build()
            #expect(report.written * 10 <= report.files, "\(what): in place")
            _ = try await Builder(options: clean).build()
            #expect(site.snapshot() == site.snapshot(of: clean.output), "\(what)")
        }
        let (first, copy) = (try inode(site.output), try inode(spare))
        #expect(copy != nil && copy != first, "a copy kept in the spare")

        try await change("an amount") { $0.replacingOccurrences(of: "e7,2500,Pb,air,75.5,kg", with: "e7,2500,Pb,air,75.25,kg") }
        let second = try inode(site.output)
        let kept = try inode(spare)
        #expect(second == copy && kept == first, "written over the copy, the replaced file kept in the spare")
        try await change("a row removed") { $0.components(separatedBy: "\n").filter { !$0.hasPrefix("e7,2500,Pb,air,") }.joined(separator: "\n") }
        #expect(try inode(site.output) == first, "written over the file kept, which was longer")
        #expect(try inode(spare) == second)

        let reader = try FileHandle(forReadingFrom: spare.appendingPathComponent(json))
        defer { try? reader.close() }
        let sending = try reader.readToEnd()
        try await change("another amount") { $0.replacingOccurrences(of: "e7,2501,Pb,air,76.5,kg", with: "e7,2501,Pb,air,76.75,kg") }
        #expect(try inode(site.output) != second, "not written over a file held open")
        try reader.seek(toOffset: 0)
        #expect(try reader.readToEnd() == sending)
    }

    /// Rows of a disclosures file for `id`, a year and medium each, with a source long enough for
    /// a thousand years of them to make open data of several megabytes, which goes in parts.
    private static func longRows(of id: String, years: Range<Int>) -> [String] {
        let source = String(repeating: "monitoring report ", count: 140)
        return years.flatMap { year in ["air", "water"].map { "\(id),\(year),Pb,\($0),\(year % 97).5,kg,,,,,,\(source)" } }
    }

    private static func longDisclosures(_ rows: [String]) -> String {
        "enterprise_id,year,pollutant,medium,amount,unit,method,destination_zh,destination_en,limit,basis,source\n" + rows.joined(separator: "\n") + "\n"
    }

    /// A rebuild checks as UTF-8 only what changed in `disclosures.csv` since the rows' store was
    /// written, trusting the unchanged ends a previous build checked (`TextFile.checked`): a
    /// character cut short in a row with megabytes unchanged on both sides is the error a check
    /// of the file reports, and the output stays as it was; mended, the rebuild is a clean one's.
    @Test func aCharacterCutShortMidFileIsFoundByARebuild() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let ids = (1...4).map { "e0\($0)" }
        try site.write("data/enterprises.csv", site.readContent("data/enterprises.csv")
            + ids.map { "\($0),企业\($0),Works \($0),,shifeng,smelting,operating,,true,\n" }.joined())
        let text = Self.longDisclosures(ids.flatMap { Self.longRows(of: $0, years: 1900..<2150) })
            .replacingOccurrences(of: "e02,2000,Pb,air,60.5,kg,,,,", with: "e02,2000,Pb,air,60.5,kg,,株洲,Zhuzhou,")
        #expect(text.utf8.count > 1 << 20, "large enough for the store's blocks to vouch for megabytes at either end")
        try site.write("data/disclosures.csv", text)
        _ = try await site.build()
        let built = site.snapshot()
        // The last byte of "洲" (E6 B4 B2) replaced by an ASCII letter.
        var damaged = Array(text.utf8)
        let place = try #require(damaged.indices.first { damaged[$0...].starts(with: Array("洲,Zhuzhou".utf8)) }) + 2
        damaged[place] = UInt8(ascii: "x")
        try Data(damaged).write(to: site.content.appendingPathComponent("data/disclosures.csv"))
        let expected = site.check().filter { $0.severity == .error }.map(\.description)
        #expect(expected.count == 1 && expected.first?.contains("disclosures.csv") == true && expected.first?.contains("the file is not valid UTF-8") == true, "\(expected)")
        do {
            _ = try await site.build()
            Issue.record("a rebuild published a file that is not UTF-8")
        } catch let errors as ContentErrors {
            #expect(errors.diagnostics.filter { $0.severity == .error }.map(\.description) == expected)
        }
        #expect(site.snapshot() == built)
        try site.write("data/disclosures.csv", text.replacingOccurrences(of: "株洲,Zhuzhou", with: "株州,Zhuzhou"))
        _ = try await site.build()
        var clean = site.options()
        clean.output = site.root.appendingPathComponent("public-clean")
        clean.clean = true
        _ = try await Builder(options: clean).build()
        #expect(site.read("data/disclosures.csv") == (try String(contentsOf: clean.output.appendingPathComponent("data/disclosures.csv"), encoding: .utf8)))
        #expect(site.read("data/disclosures.csv").contains("株州"))
    }

    /// Parts of a large download copied from the previous file where they were are taken as
    /// unchanged without being read back. Whatever changes near the end — a row of the last
    /// enterprise, the last enterprise's rows gone, an enterprise added after it — the output,
    /// and the package's digests of it, must be what a clean build writes. An enterprise renamed
    /// has its rows written again, the same bytes, and the parts after them compared: the
    /// downloads are left as they are.
    @Test func aLargeDownloadChangedNearItsEndIsWhatACleanBuildWrites() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let ids = (1...8).map { "e0\($0)" }
        let rows = { (id: String) in Self.longRows(of: id, years: 1900..<2150) }
        try site.write("data/enterprises.csv", site.readContent("data/enterprises.csv")
            + (ids + ["e09"]).map { "\($0),企业\($0),Works \($0),,shifeng,smelting,operating,,true,\n" }.joined())
        try site.write("data/disclosures.csv", Self.longDisclosures(ids.flatMap(rows)))
        var clean = site.options()
        clean.output = site.root.appendingPathComponent("public-clean")
        clean.clean = true
        // Both from the same first build, so that both change logs hold the same changes.
        _ = try await Builder(options: site.options()).build()
        _ = try await Builder(options: clean).build()
        let json = site.output.appendingPathComponent("data/disclosures.json").path
        #expect((try FileManager.default.attributesOfItem(atPath: json)[.size] as? Int ?? 0) > 8 << 20, "large enough to go in several parts")

        let edits: [(String) -> String] = [
            { $0.replacingOccurrences(of: "e08,2149,Pb,water,15.5,kg", with: "e08,2149,Pb,water,15.6,kg") },
            { $0.components(separatedBy: "\n").filter { !$0.hasPrefix("e08,") }.joined(separator: "\n") },
            { $0 + rows("e09").joined(separator: "\n") + "\n" },
            { $0.replacingOccurrences(of: "e07,1900,Pb,air,57.5,kg", with: "e07,1900,Pb,air,57.25,kg") },
        ]
        for (step, edit) in edits.enumerated() {
            try site.write("data/disclosures.csv", edit(site.readContent("data/disclosures.csv")))
            _ = try await Builder(options: site.options()).build()
            _ = try await Builder(options: clean).build()
            for path in ["data/disclosures.json", "data/disclosures.csv", "data/datapackage.json"] {
                let (built, cleanBuilt) = (FileManager.default.contents(atPath: site.output.appendingPathComponent(path).path),
                                           FileManager.default.contents(atPath: clean.output.appendingPathComponent(path).path))
                #expect(built != nil && built == cleanBuilt, "step \(step): \(path)")
            }
            #expect(site.snapshot() == site.snapshot(of: clean.output), "step \(step)")
        }

        let downloads = ["data/disclosures.json", "data/disclosures.csv"].map { site.output.appendingPathComponent($0).path }
        let before = try downloads.map { try FileManager.default.attributesOfItem(atPath: $0) }
        try site.write("data/enterprises.csv", site.readContent("data/enterprises.csv").replacingOccurrences(of: "Works e01,", with: "Works e01 renamed,"))
        _ = try await Builder(options: site.options()).build()
        for (path, attributes) in zip(downloads, before) {
            let after = try FileManager.default.attributesOfItem(atPath: path)
            #expect(after[.systemFileNumber] as? Int == attributes[.systemFileNumber] as? Int && after[.modificationDate] as? Date == attributes[.modificationDate] as? Date,
                    "\(path) left as it was")
        }
    }

    /// The open-data rows of an enterprise whose records did not change are copied from the
    /// previous build's files, not written again: bytes put into beta's rows behind the
    /// manifest's back (same size, inode and time) survive a rebuild after alpha's change,
    /// and a change to beta's own records writes its rows afresh.
    @Test func anUnchangedEnterprisesOpenDataRowsAreCopied() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv") + "beta,2019,Pb,air,7.25,kg,,,,,,\n")
        _ = try await Builder(options: site.options()).build()
        func tamper(_ path: String) throws {
            let url = site.output.appendingPathComponent(path)
            var status = stat()
            #expect(stat(url.path, &status) == 0)
            let handle = try FileHandle(forUpdating: url)
            let bytes = handle.readDataToEndOfFile()
            let found = try #require(bytes.range(of: Data("7.25".utf8)))
            try handle.seek(toOffset: UInt64(found.lowerBound - bytes.startIndex))
            handle.write(Data("7.52".utf8))
            try handle.close()
            // To the nanosecond, as the manifest recorded it.
            let times = [status.st_atim, status.st_mtim]
            #expect(utimensat(AT_FDCWD, url.path, times, 0) == 0)
        }
        try tamper("data/disclosures.csv")
        try tamper("data/disclosures.json")

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2019,Pb,air,0.2,kg", with: "alpha,2019,Pb,air,0.3,kg"))
        _ = try await Builder(options: site.options()).build()
        for format in ["csv", "json"] {
            let published = site.read("data/disclosures.\(format)")
            #expect(published.contains("0.3") && published.contains("7.52") && !published.contains("7.25"), "\(format): alpha written, beta copied")
        }

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "beta,2019,Pb,air,7.25,kg", with: "beta,2019,Pb,air,7.5,kg"))
        _ = try await Builder(options: site.options()).build()
        for format in ["csv", "json"] {
            let published = site.read("data/disclosures.\(format)")
            #expect(published.contains("7.5") && !published.contains("7.52"), "\(format): beta written again")
        }
    }

    /// The open-data files of the datasets published whole are made from their own file, the
    /// enterprises' and the build day: after a changed disclosure row they are kept, not made
    /// again, so bytes put into them behind the manifest's back (stamp restored) survive, and
    /// the package's digest is that of the file as kept; a change to their own file makes them again.
    @Test func aChangedDisclosureRowLeavesTheOtherDatasetsFilesAlone() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        func tamper(_ path: String) throws {
            let url = site.output.appendingPathComponent(path)
            var status = stat()
            #expect(stat(url.path, &status) == 0)
            let handle = try FileHandle(forUpdating: url)
            let found = try #require(handle.readDataToEndOfFile().range(of: Data("Dust filter".utf8)))
            try handle.seek(toOffset: UInt64(found.lowerBound))
            handle.write(Data("Dust fi1ter".utf8))
            try handle.close()
            #expect(utimensat(AT_FDCWD, url.path, [status.st_atim, status.st_mtim], 0) == 0)
        }
        func digest(of path: String) throws -> String {
            "sha256:" + SHA256.hash(data: try #require(FileManager.default.contents(atPath: site.output.appendingPathComponent(path).path))).map { String(format: "%02x", $0) }.joined()
        }
        func packageDigest(of name: String) throws -> String? {
            let package = try #require(JSONSerialization.jsonObject(with: Data(site.read("data/datapackage.json").utf8)) as? [String: Any])
            return (package["resources"] as? [[String: Any]])?.first { $0["name"] as? String == name }?["hash"] as? String
        }
        try tamper("data/facilities.csv")
        try tamper("data/facilities.json")

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2019,Pb,air,0.2,kg", with: "alpha,2019,Pb,air,0.3,kg"))
        _ = try await Builder(options: site.options()).build()
        #expect(site.read("data/disclosures.csv").contains("alpha,2019,Pb,air,0.3,kg"))
        for format in ["csv", "json"] {
            #expect(site.read("data/facilities.\(format)").contains("Dust fi1ter"), "\(format): kept as it was")
        }
        #expect(try packageDigest(of: "facilities") == digest(of: "data/facilities.csv"))

        try site.write("data/facilities.csv", site.readContent("data/facilities.csv").replacingOccurrences(of: "running", with: "stopped"))
        _ = try await Builder(options: site.options()).build()
        for format in ["csv", "json"] {
            let published = site.read("data/facilities.\(format)")
            #expect(published.contains("Dust filter") && published.contains("stopped"), "\(format): made again")
        }
        #expect(try packageDigest(of: "facilities") == digest(of: "data/facilities.csv"))
    }

    /// The directory and a metal's page, made again after one enterprise's latest figure
    /// changed, copy every other enterprise's row from the previous build: a row altered in
    /// the output (its stamp restored) stays altered until its own enterprise changes.
    @Test func anUnchangedEnterprisesSummaryRowsAreCopied() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv") + "beta,2020,Pb,air,7.25,kg,,,,,,\n")
        _ = try await Builder(options: site.options()).build()
        // Each page with alpha's new figure once made again.
        let pages = ["en/enterprises/index.html": "312.5", "en/pollutants/Pb/index.html": "300.2"]
        for page in pages.keys {
            let url = site.output.appendingPathComponent(page)
            var status = stat()
            #expect(stat(url.path, &status) == 0)
            let text = site.read(page)
            #expect(text.contains(#"data-sort="7.25""#))
            try Data(text.replacingOccurrences(of: #"data-sort="7.25""#, with: #"data-sort="7.52""#).utf8).write(to: url)
            // To the nanosecond, as the manifest recorded it.
            let times = [status.st_atim, status.st_mtim]
            #expect(utimensat(AT_FDCWD, url.path, times, 0) == 0)
        }

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Pb,air,0.1,t", with: "alpha,2020,Pb,air,0.3,t"))
        _ = try await Builder(options: site.options()).build()
        for (page, alpha) in pages {
            let text = site.read(page)
            #expect(text.contains(alpha) && text.contains(#"data-sort="7.52""#) && !text.contains(#"data-sort="7.25""#), "\(page): alpha made again, beta copied")
        }

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "beta,2020,Pb,air,7.25,kg", with: "beta,2020,Pb,air,7.5,kg"))
        _ = try await Builder(options: site.options()).build()
        for page in pages.keys {
            let text = site.read(page)
            #expect(text.contains(#"data-sort="7.5""#) && !text.contains(#"data-sort="7.52""#), "\(page): beta made again")
        }
    }

    /// The same content named another way on the command line is the same site: nothing is
    /// made again.
    @Test func theContentFolderNamedAnotherWayMakesNothingAgain() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        var options = site.options()
        options.contentDisplayPath = "./" + options.contentDisplayPath
        let report = try await Builder(options: options).build()
        #expect(report.rendered == 0)
        #expect(report.written == 0)
    }

    /// With nothing changed the output folder already is the new site and stays in place, even
    /// on the first rebuild, which has no spare tree; unless it holds something the site does
    /// not publish: then a swapped-in tree takes it out.
    @Test func nothingChangedLeavesTheOutputFolderInPlace() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let inode = { try FileManager.default.attributesOfItem(atPath: site.output.path)[.systemFileNumber] as? Int }
        let before = try inode()
        let report = try await Builder(options: site.options()).build()
        #expect(report.written == 0)
        #expect(try inode() == before)

        try "not ours".write(to: site.output.appendingPathComponent("en/stray.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(at: site.output.appendingPathComponent("zh/empty"), withIntermediateDirectories: false)
        _ = try await Builder(options: site.options()).build()
        #expect(try inode() != before)
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("en/stray.txt").path))
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("zh/empty").path))
        let again = try inode()
        _ = try await Builder(options: site.options()).build()
        #expect(try inode() == again)
    }

    /// A rebuild that changed nothing leaves the manifest as the last build wrote it, and that
    /// manifest still catches a file edited by hand afterwards.
    @Test func nothingChangedLeavesTheManifestAsItWas() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let stamp = { try Self.stamp(of: site.root.appendingPathComponent(".public.clearwater.manifest")) }
        let written = try stamp()
        let expected = site.snapshot()
        #expect(try await site.build().written == 0)
        #expect(try stamp() == written)

        try Data("edited by hand".utf8).write(to: site.output.appendingPathComponent("en/enterprises/beta/index.html"))
        #expect(try await site.build().written == 1)
        #expect(site.snapshot() == expected)
        #expect(try stamp() != written)
    }

    /// A file's inode, modification time and size: which of them a build changed.
    private static func stamp(of file: URL) throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        return "\(attributes[.systemFileNumber] ?? "") \(attributes[.modificationDate] ?? "") \(attributes[.size] ?? "")"
    }

    /// A rebuild that changes a few of many files moves them into the output where it is: the
    /// output folder and every other file keep their inodes, no undo journal stays, and the site is byte for byte a clean build's; a page that goes takes its
    /// folder, and a new one makes its own.
    @Test func aFewChangedFilesAreMovedIntoTheOutputWhereItIs() async throws {
        let site = try await FixtureSite.built(FaultTests.larger)
        defer { site.remove() }
        let inode = { (path: String) in try FileManager.default.attributesOfItem(atPath: site.output.appendingPathComponent(path).path)[.systemFileNumber] as? Int }
        let root = try FileManager.default.attributesOfItem(atPath: site.output.path)[.systemFileNumber] as? Int
        let untouched = ["en/enterprises/e1/index.html", "zh/enterprises/e2/index.html", "en/about/index.html"]
        let inodes = try untouched.map(inode)
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "e7,2020,Pb,air,7.0,", with: "e7,2020,Pb,air,7.25,"))
        try FileManager.default.removeItem(at: site.content.appendingPathComponent("pages/plan/goals.zh.md"))
        try site.write("pages/plan/extra.en.md", "---\ntitle: Extra\n---\nA page of its own.\n")
        let report = try await site.build()
        #expect(report.written > 0 && report.written * 10 <= report.files)
        #expect(try FileManager.default.attributesOfItem(atPath: site.output.path)[.systemFileNumber] as? Int == root)
        #expect(try untouched.map(inode) == inodes)
        #expect(site.read("en/enterprises/e7/index.html").contains("7.25"))
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("zh/plan/goals").path))
        #expect(site.read("en/plan/extra/index.html").contains("A page of its own."))
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".public.clearwater.undo").path))
        // The staging folder stays as the spare, without the files that left it.
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".public.clearwater-spare/en/enterprises/e7").path))
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".public.clearwater-spare/en/enterprises/e7/index.html").path))

        let clean = try await cleanBuild(of: site)
        defer { clean.remove() }
        #expect(differences(site.snapshot(), clean.snapshot()).isEmpty)
        let again = try await site.build()
        #expect(again.written == 0)
    }

    /// The digests that say which pages changed hash each disclosure's row; an embargoed row
    /// publishes nothing and is skipped. A figure changed in a row after embargoed ones must
    /// still make its own enterprise's page again, and a figure changed in an embargoed row
    /// must change no enterprise's page.
    @Test func rowsAfterEmbargoedOnesAreStillToldApart() async throws {
        let header = "enterprise_id,year,pollutant,medium,amount,unit,method,destination_zh,destination_en,limit,basis,source,embargo"
        let rows = ["alpha,2020,Pb,air,0.1,t,continuous,大气,Atmosphere,150,measured,report,", "alpha,2019,Pb,air,0.2,kg,,,,,,,2999-01-01",
                    "alpha,2018,Pb,air,0.3,kg,,,,,,,2999-01-01", "beta,2019,Pb,water,5.5,kg,,,,,,,", "beta,2018,Pb,water,6.5,kg,,,,,,,"]
        let site = try await FixtureSite.built(["data/disclosures.csv": ([header] + rows).joined(separator: "\n") + "\n"])
        defer { site.remove() }
        let pages = ["en/enterprises/alpha/index.html", "en/enterprises/beta/index.html"]
        #expect(site.read(pages[1]).contains("5.5") && !site.read(pages[0]).contains("0.2"))

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "beta,2019,Pb,water,5.5,", with: "beta,2019,Pb,water,7.25,"))
        let alphaBefore = site.read(pages[0])
        _ = try await site.build()
        #expect(site.read(pages[1]).contains("7.25") && !site.read(pages[1]).contains("5.5"))
        #expect(site.read(pages[0]) == alphaBefore)

        let beforeEmbargoedEdit = pages.map(site.read)
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2019,Pb,air,0.2,", with: "alpha,2019,Pb,air,0.9,"))
        let report = try await site.build()
        let untouched = pages.map(site.read) == beforeEmbargoedEdit
        #expect(untouched, "an embargoed row's figure changed an enterprise page")
        #expect(report.rendered < report.pages - 4, "every enterprise page was made again: \(report.rendered) of \(report.pages)")

        // A clean build over a copy of the output, which carries the change log forward.
        let clean = try FixtureSite(["data/disclosures.csv": site.readContent("data/disclosures.csv")])
        defer { clean.remove() }
        try FileManager.default.copyItem(at: site.output, to: clean.output)
        var options = clean.options()
        options.clean = true
        _ = try await Builder(options: options).build()
        #expect(differences(site.snapshot(), clean.snapshot()).isEmpty)
    }

    /// The rows' order kept with the decoded rows counts the published rows only
    /// (`KeptOrdering`): an enterprise withheld in place of another with as many rows leaves
    /// the rows' text, and so the store, as it was, and the order must be worked out again.
    @Test func anEnterpriseWithheldInAnothersPlaceOrdersTheRowsAgain() async throws {
        let enterprises = { (alpha: String, beta: String) in
            "id,name_zh,name_en,district,industry,status,embargo\n" + "alpha,甲冶炼厂,Alpha Smelter,shifeng,smelting,operating,\(alpha)\n"
                + "beta,乙化工厂,Beta Works,shifeng,smelting,operating,\(beta)\n" + "gamma,丙厂,Gamma Works,shifeng,smelting,operating,\n"
        }
        let disclosures = """
        enterprise_id,year,pollutant,medium,amount,unit
        alpha,2019,Pb,air,1.5,kg
        alpha,2020,Cd,water,2.5,kg
        beta,2019,Cd,air,3.5,kg
        beta,2020,Pb,water,4.5,kg
        gamma,2020,Pb,air,5.5,kg

        """
        let site = try await FixtureSite.built(["data/enterprises.csv": enterprises("2999-01-01", ""), "data/disclosures.csv": disclosures])
        defer { site.remove() }
        #expect(site.read("en/enterprises/beta/index.html").contains("4.5"))
        try site.write("data/enterprises.csv", enterprises("", "2999-01-01"))
        _ = try await site.build()
        #expect(site.read("en/enterprises/alpha/index.html").contains("2.5"))
        let clean = try await cleanBuild(of: site)
        defer { clean.remove() }
        #expect(differences(site.snapshot(), clean.snapshot()).isEmpty)
    }

    @Test func oneChangedRowRendersOnlyThePagesThatShowIt() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let betaPage = site.output.appendingPathComponent("en/enterprises/beta/index.html").path
        let betaBefore = try FileManager.default.attributesOfItem(atPath: betaPage)[.modificationDate] as? Date
        var disclosures = site.readContent("data/disclosures.csv")
        disclosures = disclosures.replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,12.7,kg")
        try site.write("data/disclosures.csv", disclosures)

        let report = try await Builder(options: site.options()).build()
        #expect(report.rendered < report.pages)
        #expect(site.read("en/enterprises/alpha/index.html").contains("12.7"))
        #expect(try FileManager.default.attributesOfItem(atPath: betaPage)[.modificationDate] as? Date == betaBefore)
        let unchanged = try await Builder(options: site.options()).build()
        #expect(unchanged.written == 0)
    }

    /// The blacklist shows violations and the enterprises they name: a changed disclosure must
    /// leave it unrendered, a changed violation make it again. Each page is marked behind the
    /// manifest's back, its size and times kept, so a page made again loses its mark.
    @Test func theBlacklistIsMadeAgainForItsOwnDataOnly() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let blacklists = ["en/blacklist/index.html", "zh/blacklist/index.html"]
        for path in blacklists {
            let url = site.output.appendingPathComponent(path)
            var status = stat()
            #expect(stat(url.path, &status) == 0)
            try Data(site.read(path).replacingOccurrences(of: "<main id=\"main\">", with: "<main id=\"mark\">").utf8).write(to: url)
            #expect(utimensat(AT_FDCWD, url.path, [status.st_atim, status.st_mtim], 0) == 0)
        }

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,12.7,kg"))
        _ = try await site.build()
        #expect(site.read("en/enterprises/alpha/index.html").contains("12.7"))
        #expect(blacklists.allSatisfy { site.read($0).contains("<main id=\"mark\">") })

        try site.write("data/violations.csv", site.readContent("data/violations.csv").replacingOccurrences(of: "Exceeded limit", with: "Exceeded its permit"))
        _ = try await site.build()
        #expect(site.read("en/blacklist/index.html").contains("Exceeded its permit"))
        #expect(blacklists.allSatisfy { !site.read($0).contains("<main id=\"mark\">") })
    }

    @Test func aFileChangedInTheOutputIsRepairedByTheNextBuild() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let expected = site.snapshot()
        try Data("edited by hand".utf8).write(to: site.output.appendingPathComponent("en/enterprises/beta/index.html"))
        try FileManager.default.removeItem(at: site.output.appendingPathComponent("zh/about/index.html"))
        try Data("stray".utf8).write(to: site.output.appendingPathComponent("en/stray.html"))

        let report = try await site.build()
        // The output folder belongs to the build: a file no build made goes, as in a full build.
        #expect(site.snapshot() == expected)
        #expect(report.written == 2)
    }

    /// The tree a swap takes out is the next build's staging folder; whatever it holds by then —
    /// stray files, empty folders, a folder where a page goes, a file where a folder goes, other
    /// bytes under a page's name — the build still publishes exactly the site, and the output's
    /// files are never written through the spare's hard links.
    @Test func aSpareTreeHoldingAnythingStillGivesExactlyTheSite() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        try await buildClean(site)
        let spare = site.root.appendingPathComponent(".public.clearwater-spare")
        #expect(FileManager.default.fileExists(atPath: spare.appendingPathComponent("en/index.html").path))
        let beforeEdit = site.snapshot()
        let fileManager = FileManager.default
        try Data("stray".utf8).write(to: spare.appendingPathComponent("en/stray.html"))
        try fileManager.createDirectory(at: spare.appendingPathComponent("en/empty/folders"), withIntermediateDirectories: true)
        try fileManager.removeItem(at: spare.appendingPathComponent("zh/about"))
        try Data("a file where a folder goes".utf8).write(to: spare.appendingPathComponent("zh/about"))
        try fileManager.removeItem(at: spare.appendingPathComponent("en/index.html"))
        try fileManager.createDirectory(at: spare.appendingPathComponent("en/index.html/inside"), withIntermediateDirectories: true)
        try fileManager.removeItem(at: spare.appendingPathComponent("en/enterprises/beta/index.html"))
        try Data("other bytes".utf8).write(to: spare.appendingPathComponent("en/enterprises/beta/index.html"))
        #expect(site.snapshot() == beforeEdit)

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,12.7,kg"))
        try retitle(site, "Test Site", "Retitled Site")
        let clean = try await cleanBuild(of: site, withManifest: true)
        defer { clean.remove() }

        // Only the spare was damaged, and the output is untouched by it until the next build.
        #expect(site.snapshot() == beforeEdit)
        _ = try await site.build()
        #expect(differences(site.snapshot(), clean.snapshot()).isEmpty)
        #expect(site.read("en/enterprises/alpha/index.html").contains("12.7"))
    }

    /// The disclosures kept decoded beside the output are written again only when the file's
    /// text changed: not after an edit of a Markdown page (at province scale they are a hundred
    /// megabytes), but after an edit of a row.
    @Test func theDecodedDisclosuresAreWrittenAgainOnlyWhenTheirTextChanged() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let stamp = { try Self.stamp(of: site.root.appendingPathComponent(".public.clearwater.disclosures")) }
        let written = try stamp()
        try site.write("pages/about.en.md", site.readContent("pages/about.en.md") + "\nOne more sentence.\n")
        _ = try await site.build()
        #expect(try stamp() == written)
        #expect(site.read("en/about/index.html").contains("One more sentence."))
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,12.7,kg"))
        _ = try await site.build()
        #expect(try stamp() != written)
        #expect(site.read("en/enterprises/alpha/index.html").contains("12.7"))
    }

    /// The enterprises and facilities kept decoded beside the output (`DecodedDatasets`) are
    /// those of the files as they are now: an edit of either, an embargo that ends with a later
    /// build day, and an enterprise removed that a facility still names all reach the next build.
    @Test func theKeptEnterprisesAndFacilitiesFollowTheirFiles() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let enterprises = site.readContent("data/enterprises.csv")
            .replacingOccurrences(of: "key_regulated,secret_note\n", with: "key_regulated,secret_note,embargo\n")
            + "gamma,丙冶炼厂,Gamma Smelter,,shifeng,smelting,operating,,false,,2021-06-01\n"
        try site.write("data/enterprises.csv", enterprises)
        try site.write("data/facilities.csv", site.readContent("data/facilities.csv") + "beta,scrubber,洗涤塔,Wet scrubber,stopped,\n")
        _ = try await site.build()
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".public.clearwater.datasets").path))
        #expect(site.read("en/enterprises/gamma/index.html").isEmpty)
        #expect(site.read("en/enterprises/beta/index.html").contains("Wet scrubber"))

        try site.write("data/enterprises.csv", enterprises.replacingOccurrences(of: "Alpha Smelter", with: "Alpha Works"))
        _ = try await site.build()
        #expect(site.read("en/enterprises/alpha/index.html").contains("Alpha Works"))
        #expect(!site.read("en/enterprises/alpha/index.html").contains("Alpha Smelter"))

        try site.write("data/facilities.csv", site.readContent("data/facilities.csv").replacingOccurrences(of: "Dust filter", with: "Bag filter"))
        _ = try await site.build()
        #expect(site.read("en/enterprises/alpha/index.html").contains("Bag filter"))

        var later = site.options()
        later.today = Day("2021-07-01")!
        _ = try await Builder(options: later).build()
        #expect(site.read("en/enterprises/gamma/index.html").contains("Gamma Smelter"))

        // Beta gone from the enterprises, still named by a facility: the facilities are checked
        // against the enterprises as they are now, not as they were when kept.
        try site.write("data/enterprises.csv", site.readContent("data/enterprises.csv").split(separator: "\n").filter { !$0.hasPrefix("beta,") }.joined(separator: "\n") + "\n")
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").split(separator: "\n").filter { !$0.hasPrefix("beta,") }.joined(separator: "\n") + "\n")
        try site.write("data/violations.csv", site.readContent("data/violations.csv").split(separator: "\n").filter { !$0.contains(",beta,") }.joined(separator: "\n") + "\n")
        do {
            _ = try await Builder(options: later).build()
            Issue.record("a facility of an enterprise no longer listed was not reported")
        } catch let errors as ContentErrors {
            #expect(errors.diagnostics.filter { $0.severity == .error }.map(\.path) == ["Content/data/facilities.csv"])
        }
    }

    /// The disclosures kept decoded beside the output (`DecodedDisclosures`) are reused only
    /// where the enterprises they were checked against are those now: with an enterprise gone
    /// from enterprises.csv and disclosures.csv untouched, each of its rows is an error, as a
    /// first build finds it; an enterprise renamed keeps the rows.
    @Test func theKeptDisclosuresAreCheckedAgainstTheEnterprisesOfNow() async throws {
        // Before alpha's rows: the last row is decoded again in any case, its end being the file's.
        let betaRows = ["beta,2019,Cd,air,3.5,kg,,,,,,", "beta,2019,Pb,water,4.5,kg,,,,,,"]
        var disclosures = FixtureSite.files["data/disclosures.csv"]!.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        disclosures.insert(contentsOf: betaRows, at: 1)
        let site = try await FixtureSite.built(["data/disclosures.csv": disclosures.joined(separator: "\n")])
        defer { site.remove() }
        #expect(site.read("en/enterprises/beta/index.html").contains("4.5"))
        let enterprises = site.readContent("data/enterprises.csv")
        try site.write("data/enterprises.csv", enterprises.replacingOccurrences(of: "Alpha Smelter", with: "Alpha Works"))
        let renamed = try await site.build()
        #expect(renamed.rendered < renamed.pages)
        #expect(site.read("en/enterprises/alpha/index.html").contains("Alpha Works"))
        #expect(site.read("en/enterprises/beta/index.html").contains("4.5"))
        try site.write("data/enterprises.csv", enterprises.split(separator: "\n").filter { !$0.hasPrefix("beta,") }.joined(separator: "\n") + "\n")
        try site.write("data/violations.csv", site.readContent("data/violations.csv").split(separator: "\n").filter { !$0.contains(",beta,") }.joined(separator: "\n") + "\n")
        do {
            _ = try await site.build()
            Issue.record("rows of an enterprise no longer listed were not reported")
        } catch let errors as ContentErrors {
            let errorsFound = errors.diagnostics.filter { $0.severity == .error }
            #expect(errorsFound.count == betaRows.count)
            #expect(errorsFound.allSatisfy { $0.path == "Content/data/disclosures.csv" && $0.message.contains("'beta'") })
        }
    }

    /// A Markdown page whose file keeps its stamp is not read again (`DecodedPages`): text put
    /// into it behind the stamp's back stays out of the pages made again, while its warning is
    /// still reported; a file no older than the store, a build with `clean`, and an edit read
    /// it again.
    @Test func anUnchangedMarkdownPageIsNotReadAgain() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("pages/about.en.md", "---\ntitle: About\nweight: 5\ncolour: blue\n---\nAbout this site.\n")
        func warnsOfColour(_ report: Builder.Report) -> Bool {
            report.warnings.contains { $0.path == "Content/pages/about.en.md" && $0.line == 4 && $0.message.contains("colour") }
        }
        #expect(warnsOfColour(try await site.build()))
        let url = site.content.appendingPathComponent("pages/about.en.md")
        var status = stat()
        #expect(stat(url.path, &status) == 0)
        try site.write("pages/about.en.md", site.readContent("pages/about.en.md").replacingOccurrences(of: "this site", with: "THIS SITE"))
        // To the nanosecond, as the pages' store recorded it; the write kept the inode.
        let times = [status.st_atim, status.st_mtim]
        #expect(utimensat(AT_FDCWD, url.path, times, 0) == 0)

        // Another base URL makes every page again, from the pages as kept.
        #expect(warnsOfColour(try await site.build(baseURL: "https://example.net/other/")))
        #expect(site.read("en/about/index.html").contains("About this site.") && !site.read("en/about/index.html").contains("THIS SITE"))

        // A file stamped in the tick the store was written in is read again, stamp or not: on a
        // file system whose clock ticks in seconds, an edit in that tick keeps the file's stamp.
        let store = site.output.deletingLastPathComponent().appendingPathComponent(".\(site.output.lastPathComponent).clearwater.pages")
        #expect(utimensat(AT_FDCWD, store.path, times, 0) == 0)
        _ = try await site.build(baseURL: "https://example.net/third/")
        #expect(site.read("en/about/index.html").contains("About THIS SITE."))

        var clean = site.options()
        clean.clean = true
        #expect(warnsOfColour(try await Builder(options: clean).build()))
        #expect(site.read("en/about/index.html").contains("About THIS SITE."))

        try site.write("pages/about.en.md", site.readContent("pages/about.en.md") + "One more line.\n")
        #expect(warnsOfColour(try await site.build()))
        #expect(site.read("en/about/index.html").contains("About THIS SITE.") && site.read("en/about/index.html").contains("One more line."))
    }

    /// The sitemap is made again only when the pages are: after a changed figure the file the
    /// last build wrote is kept without being made (a mark put in it, its stamp restored,
    /// stays), and a new page is listed at once.
    @Test func theSitemapIsMadeAgainOnlyWhenThePagesChange() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let url = site.output.appendingPathComponent("sitemap.xml")
        var status = stat()
        #expect(stat(url.path, &status) == 0)
        try Data(site.read("sitemap.xml").replacingOccurrences(of: "<urlset ", with: "<urlmrk ").utf8).write(to: url)
        let times = [status.st_atim, status.st_mtim]
        #expect(utimensat(AT_FDCWD, url.path, times, 0) == 0)

        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,12.7,kg"))
        _ = try await site.build()
        #expect(site.read("en/enterprises/alpha/index.html").contains("12.7"))
        #expect(site.read("sitemap.xml").contains("<urlmrk "))
        #expect(!site.read("sitemap.xml").contains("/en/plan/history/"))

        // Below the top level, where no page's title or weight is read by every page.
        try site.write("pages/plan/history.en.md", "---\ntitle: History\n---\nA century of smelting.\n")
        try site.write("pages/plan/history.zh.md", "---\ntitle: 历史\n---\n一百年的冶炼。\n")
        _ = try await site.build()
        #expect(site.read("sitemap.xml").contains("<urlset "))
        #expect(site.read("sitemap.xml").contains("/en/plan/history/</loc>"))
        #expect(site.read("sitemap.xml").contains("/zh/plan/history/</loc>"))
    }

    /// A page that goes takes its folder with it, from the output and from the spare tree the
    /// next build is staged in, which still holds the page: no empty folder is published.
    @Test func aRemovedPageLeavesNoEmptyFolder() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        _ = try await site.build()
        for language in ["zh", "en"] {
            try FileManager.default.removeItem(at: site.content.appendingPathComponent("pages/about.\(language).md"))
        }
        _ = try await site.build()
        _ = try await site.build()
        let folders = site.snapshot().keys.filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: site.output.appendingPathComponent(path).path, isDirectory: &isFolder) && isFolder.boolValue
        }
        let empty = folders.filter { (try? FileManager.default.contentsOfDirectory(atPath: site.output.appendingPathComponent($0).path).isEmpty) ?? true }
        #expect(!folders.isEmpty && empty.isEmpty, "\(empty)")
        #expect(!folders.contains("zh/about") && !folders.contains("en/about"))
    }

    /// Once the spare's folders are older than its manifest, a build takes what the spare holds
    /// from the manifest rather than from its folders (`TreeListing`), and still publishes
    /// exactly the site: a page the last build changed is linked from the output, not kept as
    /// the spare's older copy, and a page that goes leaves neither file nor folder.
    @Test func aSpareKnownFromItsManifestStillGivesExactlyTheSite() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        try site.write("pages/about.en.md", site.readContent("pages/about.en.md") + "\nOne more sentence.\n")
        try retitle(site, "Test Site", "Retitled Site")
        _ = try await site.build()
        let spare = site.root.appendingPathComponent(".public.clearwater-spare")
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".public.clearwater.spare-manifest").path))
        let spareAbout = try String(contentsOf: spare.appendingPathComponent("en/about/index.html"), encoding: .utf8)
        #expect(spareAbout.contains("About this site.") && !spareAbout.contains("One more sentence."))
        // A folder stamped in the tick its manifest was written in is doubted; these are not.
        let anHourAgo = Date(timeIntervalSinceNow: -3600)
        let enumerator = FileManager.default.enumerator(at: spare, includingPropertiesForKeys: [.isDirectoryKey])
        var folders = [spare]
        while let url = enumerator?.nextObject() as? URL {
            if try url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory == true { folders.append(url) }
        }
        for folder in folders { try FileManager.default.setAttributes([.modificationDate: anHourAgo], ofItemAtPath: folder.path) }

        try FileManager.default.removeItem(at: site.content.appendingPathComponent("pages/plan/goals.zh.md"))
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: "alpha,2020,Cd,air,12.5,kg", with: "alpha,2020,Cd,air,12.7,kg"))
        try retitle(site, "Retitled Site", "Test Site")
        // A clean build of the same content, over the same output for the same change log.
        let clean = try await cleanBuild(of: site)
        defer { clean.remove() }
        _ = try await site.build()
        #expect(differences(site.snapshot(), clean.snapshot()).isEmpty)
        #expect(site.read("en/about/index.html").contains("One more sentence."))
        for language in ["zh", "en"] {
            #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent("\(language)/plan/goals").path))
        }
    }

    @Test func withoutAManifestTheBuildIsFull() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let manifest = site.root.appendingPathComponent(".public.clearwater.manifest")
        #expect(FileManager.default.fileExists(atPath: manifest.path))
        try Data("clearwater-manifest 1\nnot a line\n".utf8).write(to: manifest)
        let report = try await site.build()
        #expect(report.rendered == report.pages)
        #expect(report.written == report.files)
        let again = try await site.build()
        #expect(again.rendered < again.pages)
        #expect(again.written == 0)
    }

    /// A clean build of the site's content over a copy of its output, which carries the change
    /// log forward, in a fixture of its own for the caller to remove.
    private func cleanBuild(of site: FixtureSite, withManifest: Bool = false) async throws -> FixtureSite {
        let clean = try FixtureSite()
        try FileManager.default.removeItem(at: clean.content)
        try FileManager.default.copyItem(at: site.content, to: clean.content)
        try FileManager.default.copyItem(at: site.output, to: clean.output)
        if withManifest {
            try FileManager.default.copyItem(at: site.root.appendingPathComponent(".public.clearwater.manifest"), to: clean.root.appendingPathComponent(".public.clearwater.manifest"))
        }
        var options = clean.options()
        options.clean = true
        _ = try await Builder(options: options).build()
        return clean
    }

    /// A change to every page, so that the rebuild swaps a whole tree in rather than moving a few files.
    private func retitle(_ site: FixtureSite, _ old: String, _ new: String) throws {
        let settings = site.readContent("site.yml")
        #expect(settings.contains(old))
        try site.write("site.yml", settings.replacingOccurrences(of: old, with: new))
    }

    /// A clean build over the output: the tree it swaps out becomes the spare.
    private func buildClean(_ site: FixtureSite) async throws {
        var options = site.options()
        options.clean = true
        _ = try await Builder(options: options).build()
    }

    private func stamps(in folder: URL) -> [String: Date] {
        var stamps: [String: Date] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey, .isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .isRegularFileKey]), values.isRegularFile == true else { continue }
            stamps[String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))] = values.contentModificationDate
        }
        return stamps
    }

    private func differences(_ left: [String: Data], _ right: [String: Data]) -> [String] {
        Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted()
    }
}

/// Makes the edits a bureau makes between builds, each leaving the content valid.
struct ContentEditor {
    let site: FixtureSite
    let themes: URL
    private var extraEnterprises: [String] = []
    private var extraPages: [String] = []

    init(site: FixtureSite, themes: URL) {
        self.site = site
        self.themes = themes
    }

    /// Applies one edit and says which.
    mutating func randomEdit(step: Int, using random: inout SeededGenerator) throws -> String {
        let kinds = ["change amount", "add row", "add latest row", "remove row", "add enterprise", "remove enterprise", "rename enterprise",
                     "add page", "change page", "remove page", "relabel pollutant", "edit template", "edit string",
                     "retitle site", "move delisting", "facility status", "move enterprise", "swap header"]
        let kind = kinds.randomElement(using: &random)!
        let number = Int.random(in: 1...999, using: &random)
        switch kind {
        case "change amount":
            try editLines("data/disclosures.csv", random: &random) { fields in fields[4] = "\(number).\(number % 10)" }
        case "add row":
            try append("data/disclosures.csv", "alpha,\(1950 + step),Cd,water,\(number),g,,,,,,")
        case "add latest row":
            // A year after every other: the summaries of the latest year change with it.
            try append("data/disclosures.csv", "alpha,\(2020 + step),Pb,air,\(number),kg,,,,,,")
        case "remove row":
            try removeLine("data/disclosures.csv", random: &random)
        case "add enterprise":
            extraEnterprises.append("extra-\(step)")
            try append("data/enterprises.csv", "extra-\(step),新增\(step),Extra \(step),,shifeng,smelting,operating,,true,")
        case "remove enterprise":
            guard let id = extraEnterprises.popLast() else { return "nothing to remove" }
            let text = site.readContent("data/enterprises.csv").split(separator: "\n").filter { !$0.hasPrefix(id + ",") }.joined(separator: "\n") + "\n"
            try site.write("data/enterprises.csv", text)
        case "rename enterprise":
            try editLines("data/enterprises.csv", random: &random) { fields in fields[2] = "Renamed \(number)" }
        case "move enterprise":
            // To a second district, added the first time: district pages follow their enterprises.
            try replace(in: site.content.appendingPathComponent("vocabulary.yml"), pattern: "districts: \\{ shifeng: \\{ zh: 石峰区, en: Shifeng \\} \\}",
                        with: "districts: { shifeng: { zh: 石峰区, en: Shifeng }, hetang: { zh: 荷塘区, en: Hetang } }")
            try editLines("data/enterprises.csv", random: &random) { fields in fields[4] = number % 2 == 0 ? "hetang" : "shifeng" }
        case "add page":
            extraPages.append("extra-\(step)")
            try site.write("pages/extra-\(step).en.md", "---\ntitle: Extra \(step)\nweight: \(number)\n---\nText \(number).\n")
        case "change page":
            try site.write("pages/plan/index.en.md", "---\ntitle: The plan \(number)\nweight: 1\n---\nThe plan, version \(number). See [targets](/en/targets/).\n")
        case "remove page":
            guard let page = extraPages.popLast() else { return "nothing to remove" }
            try FileManager.default.removeItem(at: site.content.appendingPathComponent("pages/\(page).en.md"))
        case "swap header":
            // The rows' bytes stay as they are, and mean other things: each destination moves to the other language.
            let text = site.readContent("data/disclosures.csv")
            let (zh, en) = ("destination_zh,destination_en", "destination_en,destination_zh")
            try site.write("data/disclosures.csv", text.contains(zh) ? text.replacingOccurrences(of: zh, with: en) : text.replacingOccurrences(of: en, with: zh))
        case "relabel pollutant":
            try replace(in: site.content.appendingPathComponent("vocabulary.yml"), pattern: "en: Lead[^,}]*", with: "en: Lead \(number)")
        case "edit template":
            let name = ["enterprise", "page", "layout", "home", "disclosures", "directory", "emitters"].randomElement(using: &random)!
            let url = themes.appendingPathComponent("default/templates/\(name).mustache")
            try (String(contentsOf: url, encoding: .utf8) + "<!-- edit \(number) -->\n").write(to: url, atomically: true, encoding: .utf8)
        case "edit string":
            try replace(in: themes.appendingPathComponent("default/i18n/en.yml"), pattern: "(?m)^skip_to_content: .*$", with: "skip_to_content: Skip \(number)")
        case "retitle site":
            try replace(in: site.content.appendingPathComponent("site.yml"), pattern: "en: Test Site[^,}]*", with: "en: Test Site \(number)")
        case "move delisting":
            let day = ["2020-12-31", "2021-01-14", "2021-01-15", "2021-02-01"].randomElement(using: &random)!
            try replace(in: site.content.appendingPathComponent("data/violations.csv"), pattern: "(?m)^(v1,.*,)[0-9-]+$", with: "$1\(day)")
        default:
            let status = Bool.random(using: &random) ? "running" : "stopped"
            try replace(in: site.content.appendingPathComponent("data/facilities.csv"), pattern: "(running|stopped)", with: status)
        }
        return "\(kind) \(number)"
    }

    private func editLines(_ path: String, random: inout SeededGenerator, _ edit: (inout [String]) -> Void) throws {
        var lines = site.readContent(path).split(separator: "\n").map(String.init)
        guard lines.count > 1 else { return }
        let index = Int.random(in: 1..<lines.count, using: &random)
        var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        edit(&fields)
        lines[index] = fields.joined(separator: ",")
        try site.write(path, lines.joined(separator: "\n") + "\n")
    }

    private func append(_ path: String, _ line: String) throws {
        try site.write(path, site.readContent(path) + line + "\n")
    }

    private func removeLine(_ path: String, random: inout SeededGenerator) throws {
        var lines = site.readContent(path).split(separator: "\n").map(String.init)
        guard lines.count > 2 else { return }
        lines.remove(at: Int.random(in: 1..<lines.count, using: &random))
        try site.write(path, lines.joined(separator: "\n") + "\n")
    }

    private func replace(in url: URL, pattern: String, with template: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: pattern)
        let replaced = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        try replaced.write(to: url, atomically: true, encoding: .utf8)
    }
}
