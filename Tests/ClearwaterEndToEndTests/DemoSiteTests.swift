import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The Zhuzhou demo in `Content/` as citizens get it.
@Suite struct DemoSiteTests {
    /// CommonMark does not open or close `**` between a CJK punctuation mark and a letter
    /// (`。**《…》**提出`), so such text shows its asterisks; the demo must not.
    @Test func noPageShowsUnrenderedMarkdownEmphasis() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-demo-\(UUID().uuidString)/public")
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let options = Builder.Options(content: FixtureSite.repository.appendingPathComponent("Content"), contentDisplayPath: "Content",
                                      themes: FixtureSite.themes, themesDisplayPath: "Themes", output: output, today: Day("2021-01-15")!)
        let report = try await Builder(options: options).build()
        #expect(report.pages > 90)
        let enumerator = FileManager.default.enumerator(atPath: output.path)
        var checked = 0
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".html"), let data = FileManager.default.contents(atPath: output.appendingPathComponent(path).path) else { continue }
            checked += 1
            #expect(!String(decoding: data, as: UTF8.self).contains("**"), "\(path) shows literal asterisks")
        }
        #expect(checked == report.pages)
    }
}
