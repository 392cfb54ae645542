import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// Content at the edges: sizes, nesting, numbers and line ends a hand-made or exported file
/// can have. Each gives a site or located errors; none crashes, hangs or publishes garbage.
@Suite struct MalformedInputTests {
    static func isLocated(_ line: String) -> Bool {
        line.range(of: #"^Content/[a-z/._]+:\d+:\d+: error: \S"#, options: .regularExpression) != nil
    }

    func errors(_ site: FixtureSite) -> [String] {
        site.check().filter { $0.severity == .error }.map(\.description)
    }

    @Test func deeplyNestedYAMLIsALocatedError() throws {
        for depth in [200, 5_000, 100_000] {
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let indented = (0..<min(depth, 5_000)).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
            for text in ["pollutants: \(nested)\n", "pollutants:\n" + indented + "\n"] {
                let site = try FixtureSite(["vocabulary.yml": text])
                defer { site.remove() }
                let errors = errors(site)
                #expect(errors.contains { $0.hasPrefix("Content/vocabulary.yml:") }, "\(errors.prefix(3))")
                #expect(errors.allSatisfy(Self.isLocated), "\(errors.prefix(3))")
            }
        }
    }

    /// The same content with LF, CRLF, lone CR and no final newline builds the same site.
    @Test func lineEndsAndAMissingFinalNewlineDoNotChangeTheSite() async throws {
        let textFiles = FixtureSite.files.filter { $0.key.hasSuffix(".csv") || $0.key.hasSuffix(".md") || $0.key.hasSuffix(".yml") }
        var outputs: [[String: Data]] = []
        for convert in [{ (text: String) in text }, { $0.replacingOccurrences(of: "\n", with: "\r\n") },
                        { $0.replacingOccurrences(of: "\n", with: "\r") }, { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }] {
            let site = try FixtureSite(textFiles.mapValues { convert($0) })
            defer { site.remove() }
            #expect(errors(site).isEmpty, "\(errors(site))")
            _ = try await site.build()
            outputs.append(site.snapshot())
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
    }

    @Test func emptyAndHeaderOnlyFiles() async throws {
        let emptyData = try FixtureSite(["data/violations.csv": "", "data/facilities.csv": "\r\n"])
        defer { emptyData.remove() }
        #expect(errors(emptyData) == [
            "Content/data/facilities.csv:1:1: error: the file is empty; it needs a header row naming its columns",
            "Content/data/violations.csv:1:1: error: the file is empty; it needs a header row naming its columns",
        ])
        let headerOnly = try FixtureSite(["data/violations.csv": "id,enterprise_id,date,violation_zh", "data/facilities.csv": "enterprise_id,id,name_zh,status\n"])
        defer { headerOnly.remove() }
        _ = try await headerOnly.build()
        #expect(String(decoding: headerOnly.snapshot()["data/violations.csv"] ?? Data(), as: UTF8.self) == "\u{FEFF}id,enterprise_id,date,decision_no,violation_zh,violation_en,penalty_zh,penalty_en,fine_yuan,listed_until,rectified_on,response_zh,response_en\r\n")
        for (path, text) in [("site.yml", ""), ("vocabulary.yml", ""), ("pages/about.en.md", ""), ("site.yml", "---\n...\n")] {
            let site = try FixtureSite([path: text])
            defer { site.remove() }
            let errors = errors(site)
            #expect(!errors.isEmpty && errors.allSatisfy(Self.isLocated), "\(path): \(errors)")
            #expect(errors.contains { $0.hasPrefix("Content/\(path):") }, "\(path): \(errors)")
        }
    }

    @Test func hugeNumbersAreErrorsOrExactValues() async throws {
        let thirty = String(repeating: "9", count: 30)
        let site = try FixtureSite(["data/disclosures.csv": """
            enterprise_id,year,pollutant,medium,amount,unit,limit
            alpha,2020,Pb,air,\(thirty),t,
            alpha,2020,Pb,water,\(thirty)9,kg,
            alpha,2020,Cd,air,1e400,kg,
            alpha,2019,Pb,air,1,kg,\(String(repeating: "1", count: 5000))
            alpha,99999999999999999999,Cd,air,1,kg,

            """, "pages/about.en.md": "---\ntitle: About\nweight: 99999999999999999999999999\n---\nx\n"])
        defer { site.remove() }
        let errors = errors(site)
        #expect(errors.count == 5, "\(errors)")
        #expect(errors.allSatisfy(Self.isLocated))
        let fine = try FixtureSite(["data/disclosures.csv": "enterprise_id,year,pollutant,medium,amount,unit\nalpha,2020,Pb,air,\(thirty),t\nalpha,2020,Pb,water,\(thirty),t\n"])
        defer { fine.remove() }
        _ = try await fine.build()
        #expect(fine.read("data/disclosures.csv").contains(thirty))
    }

    @Test func veryLongLinesCellsAndFiles() async throws {
        let longCell = String(repeating: "清水塘", count: 100_000)
        let manyCells = "alpha,2020,Pb,air,1,kg" + String(repeating: ",", count: 1_000_000)
        let manyRows = (0..<3_000).map { "e\($0),企业\($0),,,shifeng,smelting,operating" }.joined(separator: "\n")
        let site = try FixtureSite([
            "data/facilities.csv": "enterprise_id,id,name_zh,status\nalpha,f1,\(longCell),running\n",
            "data/disclosures.csv": "enterprise_id,year,pollutant,medium,amount,unit\n\(manyCells)\n",
            "data/enterprises.csv": FixtureSite.files["data/enterprises.csv"]! + manyRows + "\n",
            "pages/long.zh.md": "---\ntitle: 长\n---\n" + String(repeating: "> ", count: 10_000) + longCell + "\n",
        ])
        defer { site.remove() }
        let errors = errors(site)
        #expect(errors == ["Content/data/disclosures.csv:2:24: error: this row has 1000006 cells but the header names 6 columns"])
        try site.write("data/disclosures.csv", FixtureSite.files["data/disclosures.csv"]!)
        _ = try await site.build()
        #expect(site.read("zh/enterprises/alpha/index.html").contains(longCell))
        #expect(site.read("zh/long/index.html").contains(longCell))
        #expect(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("en/enterprises/e2999/index.html").path))
    }

    /// Nine levels of ten aliases would be a billion nodes if aliases were expanded; Yams
    /// shares them (copy-on-write) and no reader walks into them, so this stays small and quick.
    @Test func aliasBombsAreNotExpanded() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let site = try FixtureSite(["vocabulary.yml": text, "pages/about.en.md": "---\n" + text + "title: About\n---\nx\n"])
        defer { site.remove() }
        let errors = errors(site)
        #expect(errors.contains { $0.hasPrefix("Content/vocabulary.yml:1:1: error: the vocabulary 'pollutants' is missing") }, "\(errors.prefix(3))")
        #expect(errors.allSatisfy(Self.isLocated))
        let warnings = site.check().filter { $0.severity == .warning }.map(\.description)
        #expect(warnings.contains { $0.hasPrefix("Content/pages/about.en.md:11:1: warning: unknown key 'a9'") }, "\(warnings)")
    }
}
