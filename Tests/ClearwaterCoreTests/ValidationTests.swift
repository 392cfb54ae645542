import ClearwaterCore
import Testing
import TestSupport

/// Broken content: every error found in one run, each at its file, line and column.
@Suite struct ValidationTests {
    func errors(_ changes: [String: String?]) throws -> [String] {
        let site = try FixtureSite(changes)
        defer { site.remove() }
        return site.check().filter { $0.severity == .error }.map(\.description)
    }

    @Test func validFixtureHasNoErrors() throws {
        #expect(try errors([:]) == [])
    }

    @Test func reportsEveryEnterpriseProblemWithItsCell() throws {
        let found = try errors(["data/enterprises.csv": """
        id,name_zh,credit_code,district,industry,status,status_since,key_regulated
        Alpha,甲,91350100M000100Y44,shifeng,smelting,operatng,2019-02-30,maybe
        beta,,,nowhere,smelting,closed,,
        beta,乙,,shifeng,smelting,closed,,

        """, "data/disclosures.csv": nil, "data/facilities.csv": nil, "data/violations.csv": nil])
        #expect(found.contains("Content/data/enterprises.csv:2:1: error: 'id' must be lower-case letters, digits and '-', starting with a letter or digit (found 'Alpha')"))
        #expect(found.contains("Content/data/enterprises.csv:2:9: error: 'credit_code' 91350100M000100Y44: check character is '4' but should be '3'; the code is mistyped"))
        #expect(found.contains("Content/data/enterprises.csv:2:45: error: 'operatng' is not a key of 'statuses' in vocabulary.yml; did you mean 'operating'?"))
        #expect(found.contains("Content/data/enterprises.csv:2:54: error: 'status_since' must be a real date written YYYY-MM-DD (found '2019-02-30')"))
        #expect(found.contains("Content/data/enterprises.csv:2:65: error: 'key_regulated' must be true or false (found 'maybe')"))
        #expect(found.contains("Content/data/enterprises.csv:3:6: error: 'name_zh' is required but the cell is empty"))
        #expect(found.contains { $0.hasPrefix("Content/data/enterprises.csv:3:8: error: 'nowhere' is not a key of 'districts'") })
        #expect(found.contains("Content/data/enterprises.csv:4:1: error: enterprise id 'beta' is used again (first on line 3)"))
        #expect(found.count == 8)
    }

    @Test func reportsDisclosureReferencesNumbersAndDuplicates() throws {
        let found = try errors(["data/disclosures.csv": """
        enterprise_id,year,pollutant,medium,amount,unit
        alpah,2020,Pb,air,1,kg
        alpha,20,Pb,air,1,kg
        alpha,2020,Pb,air,-1,kg
        alpha,2020,Pb,water,"1,5",lb
        alpha,2020,Cd,air,1,kg
        alpha,2020,Cd,air,2,kg

        """])
        #expect(found.contains("Content/data/disclosures.csv:2:1: error: no enterprise has the id 'alpah' in enterprises.csv; did you mean 'alpha'?"))
        #expect(found.contains("Content/data/disclosures.csv:3:7: error: 'year' must be a year of four digits, 1900 or later (found '20')"))
        #expect(found.contains("Content/data/disclosures.csv:4:19: error: 'amount' must not be negative (found '-1')"))
        #expect(found.contains("Content/data/disclosures.csv:5:21: error: 'amount' must not use thousands separators (write 1234.5, not 1,234.5) (found '1,5')"))
        #expect(found.contains("Content/data/disclosures.csv:5:27: error: 'unit' must be one of g, kg, t (found 'lb')"))
        #expect(found.contains { $0.hasPrefix("Content/data/disclosures.csv:7:1: error: alpha already disclosed Cd to air for 2020 (line 6)") })
        #expect(found.count == 6)
    }

    /// A row reuses the enterprise the row before it found, but a name that was not found is
    /// looked up, and reported, on every row that gives it.
    @Test func everyRowNamingAMissingEnterpriseIsReported() throws {
        // Six in a row: each half of the file, decoded on a core of its own, has several.
        let ghosts = (2011...2016).map { "ghost,\($0),Pb,air,1,kg\n" }.joined()
        let found = try errors(["data/disclosures.csv": "enterprise_id,year,pollutant,medium,amount,unit\nalpha,2018,Pb,air,1,kg\n" + ghosts + "alpha,2020,Pb,air,1,kg\n"])
        #expect(found.count == 6)
        for line in 3...8 {
            #expect(found.contains { $0.hasPrefix("Content/data/disclosures.csv:\(line):1: error: no enterprise has the id 'ghost'") })
        }
    }

    /// Columns in any order, as a spreadsheet may save them, with one the contract does not
    /// know: each cell is read from its own column, and each problem located in it.
    @Test func columnsAreFoundInWhateverOrderTheFileHasThem() async throws {
        let text = """
        remark,source,basis,limit,destination_en,destination_zh,method,unit,amount,medium,pollutant,year,enterprise_id
        x,report,measured,150,Atmosphere,大气,continuous,t,0.1,air,Pb,2020,alpha
        y,,,,,,,kg,2,water,Pb,2020,alpha
        z,,,,,,,kg,oops,air,Cd,20,alpha

        """
        let found = try errors(["data/disclosures.csv": text])
        #expect(found.contains("Content/data/disclosures.csv:4:24: error: 'year' must be a year of four digits, 1900 or later (found '20')"))
        #expect(found.contains { $0.hasPrefix("Content/data/disclosures.csv:4:12: error: 'amount' is not a decimal number") })
        #expect(found.count == 2)
        let site = try await FixtureSite.built(["data/disclosures.csv": text.replacingOccurrences(of: "z,,,,,,,kg,oops,air,Cd,20,alpha\n", with: "")])
        defer { site.remove() }
        let published = site.read("data/disclosures.csv")
        #expect(published.contains("alpha,2020,Pb,air,0.1,t,continuous,大气,Atmosphere,150,measured,report\r\n"))
        #expect(published.contains("alpha,2020,Pb,water,2,kg,,,,,,\r\n"))
    }

    /// Destinations and sources recur from row to row and are kept once each, but every row
    /// publishes its own, however they take turns.
    @Test func everyRowKeepsItsOwnDestinationAndSource() async throws {
        let places = ["Atmosphere", "River", "Lake", "Pond", "Sea", "Bay"]
        let rows = (0..<12).map { index in
            let place = places[(index * 5) % places.count]
            return "alpha,\(2009 + index),Pb,air,1,kg,\(place)-zh,\(place),report \(index % 3)"
        }
        let site = try await FixtureSite.built(["data/disclosures.csv": "enterprise_id,year,pollutant,medium,amount,unit,destination_zh,destination_en,source\n"
            + rows.joined(separator: "\n") + "\n"])
        defer { site.remove() }
        let published = site.read("data/disclosures.csv")
        for (index, row) in rows.enumerated() {
            let cells = row.split(separator: ",")
            #expect(published.contains("alpha,\(2009 + index),Pb,air,1,kg,,\(cells[6]),\(cells[7]),,,\(cells[8])\r\n"), "\(row)")
        }
    }

    /// Disclosures are decoded in two halves at once; a repeat is found within a half and
    /// across them, always against its first line.
    @Test func aRepeatedDisclosureIsFoundWhereverItIs() throws {
        let header = "enterprise_id,year,pollutant,medium,amount,unit\n"
        let rows = (2001...2020).map { "alpha,\($0),Pb,air,1,kg\n" }.joined()
        let found = try errors(["data/disclosures.csv": header + "alpha,2001,Pb,water,1,kg\n" + rows + "alpha,2001,Pb,water,2,kg\nalpha,2019,Pb,air,3,kg\n"])
        #expect(found.count == 2)
        #expect(found.contains { $0.hasPrefix("Content/data/disclosures.csv:23:1: error: alpha already disclosed Pb to water for 2001 (line 2)") })
        #expect(found.contains { $0.hasPrefix("Content/data/disclosures.csv:24:1: error: alpha already disclosed Pb to air for 2019 (line 21)") })
    }

    @Test func quotedCellsSpanningLinesCountTheirLines() throws {
        let found = try errors(["data/facilities.csv": "enterprise_id,id,name_zh,status\nalpha,f1,\"two\nlines\",running\nalpha,f2,x,broken\n"])
        #expect(found == ["Content/data/facilities.csv:4:12: error: 'broken' is not a key of 'facility_statuses' in vocabulary.yml"])
    }

    @Test func reportsMissingColumnsAndYAMLProblems() throws {
        let found = try errors([
            "data/targets.csv": "pollutant,medium,year,amount_kg\nPb,air,2013,1\n",
            "vocabulary.yml": (FixtureSite.files["vocabulary.yml"] ?? "").replacingOccurrences(of: "Cd: { zh: 镉, en: Cadmium }", with: "Cd: { zh: 镉 }"),
            "pages/about.en.md": "---\ntitle: [unclosed\n---\nbody\n",
        ])
        #expect(found.contains("Content/data/targets.csv:1:1: error: required column 'kind' is missing from the header"))
        #expect(found.contains { $0.hasPrefix("Content/vocabulary.yml:1:44: error: 'pollutants.Cd' has no 'en' text") })
        #expect(found.contains { $0.hasPrefix("Content/pages/about.en.md:3:1: error: invalid YAML") })
    }

    @Test func reportsSiteSettingsProblems() throws {
        let found = try errors(["site.yml": "title: { zh: 标题 }\npublisher: 局\nbase_url: not-a-url\nlanguages: [zh, en]\ndata_as_of: 2020-99-01\n"])
        #expect(found.contains { $0.hasPrefix("Content/site.yml:1:8: error: 'title' has no 'en' text") })
        #expect(found.contains { $0.hasPrefix("Content/site.yml:3:11: error: 'base_url' must be an absolute") })
        #expect(found.contains { $0.hasPrefix("Content/site.yml:5:13: error: 'data_as_of' must be a date") })
    }

    @Test func warnsAboutUntranslatedPages() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let warnings = site.check().filter { $0.severity == .warning }.map(\.description)
        #expect(warnings.contains { $0.hasPrefix("Content/pages/plan/goals.zh.md:0:0: warning: page 'plan/goals' has no 'en' version") })
    }
}
