import ClearwaterCore
import Foundation

/// A small but complete content folder written to a fresh temporary directory, with the
/// repository's real default theme, so end-to-end tests build what users build.
public struct FixtureSite: Sendable {
    public let root: URL
    public var content: URL { root.appendingPathComponent("Content") }
    public var output: URL { root.appendingPathComponent("public") }
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static var themes: URL { repository.appendingPathComponent("Themes") }

    public static let files: [String: String] = [
        "site.yml": """
        title: { zh: 测试站点, en: Test Site }
        description: { zh: 描述, en: Description }
        publisher: { zh: 测试局, en: Test Bureau }
        base_url: https://example.org/sub/path/
        data_as_of: 2020-12-31
        contact: { zh: 联系我们, en: Contact us }
        site_code: "4302000001"
        icp_record: 湘ICP备00000000号
        languages: [zh, en]
        theme: default
        illustrative_data: true

        """,
        "vocabulary.yml": """
        pollutants: { Pb: { zh: 铅, en: Lead }, Cd: { zh: 镉, en: Cadmium } }
        media: { air: { zh: 废气, en: Air }, water: { zh: 废水, en: Wastewater } }
        statuses: { operating: { zh: 正常生产, en: Operating }, closed: { zh: 关闭, en: Closed } }
        industries: { smelting: { zh: 冶炼, en: Smelting } }
        districts: { shifeng: { zh: 石峰区, en: Shifeng } }
        discharge_methods: { continuous: { zh: 连续, en: Continuous } }
        facility_statuses: { running: { zh: 运行, en: Running }, stopped: { zh: 停运, en: Stopped } }

        """,
        "data/enterprises.csv": """
        id,name_zh,name_en,credit_code,district,industry,status,status_since,key_regulated,secret_note
        alpha,甲冶炼厂,Alpha Smelter,91350100M000100Y43,shifeng,smelting,operating,,true,TOP-SECRET-NOTE
        beta,乙化工厂,,,shifeng,smelting,closed,2019-12-31,false,

        """,
        "data/disclosures.csv": """
        enterprise_id,year,pollutant,medium,amount,unit,method,destination_zh,destination_en,limit,basis,source
        alpha,2020,Pb,air,0.1,t,continuous,大气,Atmosphere,150,measured,report
        alpha,2020,Pb,water,200,g,,,,,,
        alpha,2020,Cd,air,12.5,kg,,,,10,,
        alpha,2019,Pb,air,0.2,kg,,,,,,

        """,
        "data/facilities.csv": """
        enterprise_id,id,name_zh,name_en,status,since
        alpha,filter,除尘器,Dust filter,running,2018-01-01

        """,
        "data/violations.csv": """
        id,enterprise_id,date,decision_no,violation_zh,violation_en,fine_yuan,listed_until
        v1,alpha,2020-06-01,罚001,超标排放,Exceeded limit,10000,2021-06-01
        v2,beta,2018-01-01,罚002,旧违法,Old violation,,2019-01-01

        """,
        "data/targets.csv": """
        pollutant,medium,year,kind,amount_kg
        Pb,air,2013,baseline,100.10
        Pb,water,2013,baseline,0.2
        Pb,air,2015,actual,80
        Pb,water,2015,actual,0.1
        Pb,air,2020,target,40.04
        Pb,water,2020,target,0.08

        """,
        "pages/plan/index.zh.md": "---\ntitle: 规划\nweight: 1\n---\n规划正文，见[目标](/zh/targets/)。\n",
        "pages/plan/index.en.md": "---\ntitle: The plan\nweight: 1\n---\nThe plan. See [targets](/en/targets/).\n",
        "pages/plan/goals.zh.md": "---\ntitle: 目标\nsummary: 只有中文\n---\n只有中文的页面。\n",
        "pages/about.zh.md": "---\ntitle: 关于\nweight: 5\n---\n关于本站。\n",
        "pages/about.en.md": "---\ntitle: About\nweight: 5\n---\nAbout this site.\n",
        "pages/secret.zh.md": "---\ntitle: 草稿\ndraft: true\n---\nDRAFT-ONLY-TEXT\n",
    ]

    /// Writes the fixture with `changes` applied: a path mapped to `nil` is left out.
    public init(_ changes: [String: String?] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-test-\(UUID().uuidString)")
        var files = Self.files
        for (path, text) in changes { files[path] = text }
        for (path, text) in files {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    /// Replaces one content file, as a maintainer's edit between two builds.
    public func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: content.appendingPathComponent(path))
    }

    /// The text of a content file as it is now.
    public func readContent(_ path: String) -> String {
        (try? String(contentsOf: content.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    public func options(baseURL: String? = nil) -> Builder.Options {
        Builder.Options(content: content, contentDisplayPath: "Content", themes: Self.themes, themesDisplayPath: "Themes",
                        output: output, baseURL: baseURL.flatMap(BaseURL.init), today: Day("2021-01-15")!)
    }

    /// A fixture already built; the caller removes it.
    public static func built(_ changes: [String: String?] = [:]) async throws -> FixtureSite {
        let site = try FixtureSite(changes)
        _ = try await site.build()
        return site
    }

    public func build(baseURL: String? = nil) async throws -> Builder.Report {
        try await Builder(options: options(baseURL: baseURL)).build()
    }

    public func check() -> [Diagnostic] {
        Builder(options: options()).check()
    }

    /// The text of an output file, or "" when it does not exist.
    public func read(_ path: String) -> String {
        (try? String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    /// Every file below the output folder (or `folder`) with its bytes, for byte-for-byte
    /// comparisons; folders map to empty data, so an empty folder left behind shows too.
    public func snapshot(of folder: URL? = nil) -> [String: Data] {
        let folder = folder ?? output
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let relative = enumerator?.nextObject() as? String {
            files[relative] = FileManager.default.contents(atPath: folder.appendingPathComponent(relative).path) ?? Data()
        }
        return files
    }

    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
