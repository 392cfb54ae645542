import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// Files as spreadsheets and Windows editors save them: GB18030, UTF-16 and broken UTF-8.
@Suite struct EncodingTests {
    static let enterprises = "id,name_zh,name_en,district,industry,status\nalpha,甲冶炼厂,Alpha Smelter,shifeng,smelting,operating\nbeta,乙化工厂,,shifeng,smelting,closed\n"

    /// Writes `text` in `encoding` with iconv, the same converter users have.
    static func encoded(_ text: String, as encoding: String) throws -> Data {
        return try withTemporaryFolder("clearwater-iconv") { folder in
            let input = folder.appendingPathComponent("in.txt")
            try Data(text.utf8).write(to: input)
            let result = try ChildProcess.run("iconv", ["-f", "UTF-8", "-t", encoding, input.path])
            #expect(result.status == 0)
            return result.stdout
        }
    }

    func site(enterprises: Data, settings extra: String = "") throws -> FixtureSite {
        let site = try FixtureSite(["site.yml": FixtureSite.files["site.yml"]! + extra])
        try enterprises.write(to: site.content.appendingPathComponent("data/enterprises.csv"))
        return site
    }

    func errors(_ site: FixtureSite) -> [String] {
        site.check().filter { $0.severity == .error }.map(\.description)
    }

    @Test func gb18030WithoutDeclarationIsAnErrorThatSaysWhatItIsAndHowToFixIt() throws {
        let site = try site(enterprises: try Self.encoded(Self.enterprises, as: "GB18030"))
        defer { site.remove() }
        let errors = errors(site)
        #expect(errors.count == 1)
        // "甲" is the first non-ASCII byte: line 2 after "alpha,", byte offset 44 + 6.
        #expect(errors.first?.hasPrefix("Content/data/enterprises.csv:2:7: error: the file is not valid UTF-8 (byte offset 50); it looks like GB18030/GBK") == true, "\(errors)")
        #expect(errors.first?.contains("encoding: gb18030") == true)
    }

    @Test func gb18030DeclaredForAllDataOrForOneFileIsReadCorrectly() async throws {
        for declaration in ["encoding: gbk\n", "encoding: { data/enterprises.csv: gb18030 }\n"] {
            let site = try site(enterprises: try Self.encoded(Self.enterprises, as: "GB18030"), settings: declaration)
            defer { site.remove() }
            #expect(errors(site).isEmpty, "\(declaration)")
            _ = try await site.build()
            #expect(site.read("zh/enterprises/alpha/index.html").contains("甲冶炼厂"))
            #expect(site.read("data/enterprises.csv").contains("乙化工厂"))
        }
    }

    /// Disclosures declared GB18030 are decoded before the rows' store is compared with them, so
    /// that a rebuild after an edit keeps the unchanged rows and publishes what a clean build does.
    @Test func gb18030DisclosuresAreRebuiltAsACleanBuildWouldBuildThem() async throws {
        let site = try FixtureSite(["site.yml": FixtureSite.files["site.yml"]! + "encoding: { data/disclosures.csv: gb18030 }\n"])
        defer { site.remove() }
        let text = site.readContent("data/disclosures.csv")
        let file = site.content.appendingPathComponent("data/disclosures.csv")
        try Self.encoded(text, as: "GB18030").write(to: file)
        _ = try await site.build()
        try Self.encoded(text.replacingOccurrences(of: "大气", with: "大气层"), as: "GB18030").write(to: file)
        _ = try await site.build()
        var clean = site.options()
        clean.output = site.root.appendingPathComponent("public-clean")
        clean.clean = true
        _ = try await Builder(options: clean).build()
        let published = site.read("data/disclosures.csv")
        let cleanBuilt = try String(contentsOf: clean.output.appendingPathComponent("data/disclosures.csv"), encoding: .utf8)
        #expect(published.contains("大气层") && published == cleanBuilt)
    }

    @Test func utf16IsDetectedAndReadWhenDeclared() async throws {
        let bytes = try Self.encoded(Self.enterprises, as: "UTF-16")
        #expect(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]))
        let undeclared = try site(enterprises: bytes)
        defer { undeclared.remove() }
        #expect(errors(undeclared) == ["Content/data/enterprises.csv:1:1: error: the file is UTF-16 (it starts with a UTF-16 byte-order mark, as Excel's 'Unicode text' saves it); save it as 'CSV UTF-8', or declare it in site.yml with 'encoding: utf-16'"])
        let declared = try site(enterprises: bytes, settings: "encoding: utf-16\n")
        defer { declared.remove() }
        _ = try await declared.build()
        #expect(declared.read("en/enterprises/alpha/index.html").contains("Alpha Smelter"))
    }

    @Test func aFileThatIsNotWhatItIsDeclaredIsAnErrorAtItsFirstBadByte() throws {
        var bytes = Data(Self.enterprises.utf8)
        bytes.append(contentsOf: [0x67, 0x2C, 0x81, 0x2C])
        let site = try site(enterprises: bytes, settings: "encoding: gb18030\n")
        defer { site.remove() }
        #expect(errors(site).first?.contains("the file is declared gb18030 but is not (invalid byte at offset") == true, "\(errors(site))")
    }

    @Test func invalidUTF8IsAnErrorWithItsByteOffsetAndNeverAReplacementCharacter() async throws {
        var bytes = Data("id,name_zh,district,industry,status\nalpha,甲".utf8)
        bytes.append(contentsOf: [0xE5, 0x41])
        bytes.append(contentsOf: Data(",shifeng,smelting,operating\n".utf8))
        let site = try site(enterprises: bytes)
        defer { site.remove() }
        #expect(errors(site) == ["Content/data/enterprises.csv:2:8: error: the file is not valid UTF-8 (byte offset 45); save it as UTF-8"])
        await #expect(throws: ContentErrors.self) { try await site.build() }
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func aMarkdownPageAndSiteYAMLMayNameTheirOwnEncoding() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try Self.encoded("---\ntitle: 清水塘\nencoding: gb18030\n---\n清水塘老工业区搬迁。\n", as: "GB18030")
            .write(to: site.content.appendingPathComponent("pages/qingshuitang.zh.md"))
        try Self.encoded("encoding: gb18030\n" + FixtureSite.files["site.yml"]!.replacingOccurrences(of: "测试站点", with: "株洲测试"), as: "GB18030")
            .write(to: site.content.appendingPathComponent("site.yml"))
        #expect(errors(site).isEmpty, "\(errors(site))")
        _ = try await site.build()
        #expect(site.read("zh/qingshuitang/index.html").contains("清水塘老工业区搬迁。"))
        #expect(site.read("zh/index.html").contains("株洲测试"))
    }

    @Test func fullWidthDigitsAndSpacesInNumbersAreErrorsWithAHint() throws {
        let site = try FixtureSite(["data/disclosures.csv": """
            enterprise_id,year,pollutant,medium,amount,unit
            alpha,2020,Pb,air,１２.５,kg
            alpha,2020,Pb,water,1 234,kg
            alpha,2020,Cd,air,1\u{00A0}234,kg
            alpha,2019,Pb,air,12　5,kg
            alpha,2019,Cd,air,"1,234",kg

            """])
        defer { site.remove() }
        #expect(errors(site) == [
            "Content/data/disclosures.csv:2:19: error: 'amount' has full-width digits or spaces; type it with ASCII digits 0-9 and '.' (found '１２.５')",
            "Content/data/disclosures.csv:3:21: error: 'amount' has a space inside; write the digits together (1234.5, not 1 234.5) (found '1 234')",
            "Content/data/disclosures.csv:4:19: error: 'amount' has a space inside; write the digits together (1234.5, not 1 234.5) (found '1\u{00A0}234')",
            "Content/data/disclosures.csv:5:19: error: 'amount' has full-width digits or spaces; type it with ASCII digits 0-9 and '.' (found '12　5')",
            "Content/data/disclosures.csv:6:19: error: 'amount' must not use thousands separators (write 1234.5, not 1,234.5) (found '1,234')",
        ])
    }
}
