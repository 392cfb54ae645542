import ClearwaterCore
import Crypto
import Foundation
import Testing
import TestSupport

/// The data package describes the files actually written, and the files hold the page figures.
@Suite struct OpenDataTests {
    @Test func dataPackageDescribesEveryFileColumnAndDigest() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let package = try #require(JSONSerialization.jsonObject(with: Data(site.read("data/datapackage.json").utf8)) as? [String: Any])
        #expect(package["profile"] as? String == "tabular-data-package")
        let resources = try #require(package["resources"] as? [[String: Any]])
        #expect(resources.count == 10)
        for resource in resources {
            let path = try #require(resource["path"] as? String)
            let bytes = try #require(FileManager.default.contents(atPath: site.output.appendingPathComponent("data/" + path).path))
            let fields = try #require((resource["schema"] as? [String: Any])?["fields"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            if path.hasSuffix(".csv") {
                let header = String(decoding: bytes, as: UTF8.self).dropFirst().prefix { $0 != "\r\n" }
                #expect(header.split(separator: ",").map(String.init) == fields, "\(path)")
                #expect(resource["bytes"] as? Int == bytes.count)
                let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                #expect(resource["hash"] as? String == "sha256:" + digest)
            } else {
                let rows = try #require(JSONSerialization.jsonObject(with: bytes) as? [[String: Any]])
                #expect(rows.allSatisfy { Set($0.keys) == Set(fields) }, "\(path)")
            }
        }
        let disclosures = try #require(resources.first { $0["name"] as? String == "disclosures" })
        let schema = try #require(disclosures["schema"] as? [String: Any])
        #expect(schema["primaryKey"] as? [String] == ["enterprise_id", "year", "pollutant", "medium"])
        let amountKg = try #require((resources.first { $0["name"] as? String == "targets" }?["schema"] as? [String: Any])?["fields"] as? [[String: Any]])
            .first { $0["name"] as? String == "amount_kg" }
        #expect(amountKg?["unit"] as? String == "kg")
        #expect(amountKg?["type"] as? String == "number")
        #expect(!site.read("data/datapackage.json").contains("secret_note"))
        // Written by hand, laid out as Foundation lays out the same package, down to the byte.
        let foundation = try JSONSerialization.data(withJSONObject: package, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        #expect(site.read("data/datapackage.json") == String(decoding: foundation, as: UTF8.self) + "\n")
    }

    /// Cells quoted as RFC 4180 and spreadsheets need: a line break of either kind (Swift sees
    /// CRLF as one Character, which once slipped past a Character test), commas, quotes, and a
    /// leading formula character.
    @Test func csvCellsAreQuotedWhereSpreadsheetsNeedIt() async throws {
        let site = try await FixtureSite.built([
            "data/facilities.csv": "enterprise_id,id,name_zh,name_en,status\r\nalpha,f1,\"一行\r\n两行\",=SUM(A1),running\r\nalpha,f2,\"a,b\",\"say \"\"hi\"\"\",running\r\n",
        ])
        defer { site.remove() }
        let csv = String(decoding: site.snapshot()["data/facilities.csv"] ?? Data(), as: UTF8.self)
        #expect(csv.contains("alpha,f1,\"一行\r\n两行\",\"'=SUM(A1)\",running,\r\n"), "\(csv.debugDescription)")
        #expect(csv.contains("alpha,f2,\"a,b\",\"say \"\"hi\"\"\",running,\r\n"), "\(csv.debugDescription)")
    }

    @Test func everyTableLinksItsDownload() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        #expect(site.read("en/enterprises/index.html").contains("href=\"../../data/enterprises.csv\" download"))
        #expect(site.read("en/enterprises/alpha/index.html").contains("href=\"../../../data/disclosures.csv\" download"))
        #expect(site.read("en/blacklist/index.html").contains("href=\"../../data/violations.csv\" download"))
        #expect(site.read("en/targets/index.html").contains("href=\"../../data/targets.csv\" download"))
    }

    /// The open-data page lists each dataset's columns below its table, every name whole and in
    /// header order, and points at the package that describes them: in a table cell the longest
    /// names ran past a phone's screen.
    @Test func openDataPageListsEveryColumnOutsideItsTable() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        for language in ["zh", "en"] {
            let page = site.read("\(language)/data/index.html")
            let table = try #require(page.range(of: "</table>"))
            #expect(!page[..<table.lowerBound].contains("<code>"))
            let listed = page[table.upperBound...]
            var place = listed.startIndex
            for column in ["enterprise_id", "year", "pollutant", "medium", "amount", "unit", "method", "destination_zh", "destination_en", "limit", "basis", "source"] {
                let found = try #require(listed.range(of: "<li><code>\(column)</code></li>", range: place..<listed.endIndex), "\(language): \(column)")
                place = found.upperBound
            }
            #expect(listed.contains("href=\"../../data/datapackage.json\""))
            #expect(page.contains("href=\"../../data/disclosures.csv\" download"))
        }
    }
}
