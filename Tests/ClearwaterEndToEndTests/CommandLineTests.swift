import Foundation
import Testing
import TestSupport

/// Runs the real `clearwater` binary, as users and the acceptance suite do.
@Suite struct CommandLineTests {
    func clearwater(_ arguments: [String], in directory: URL) throws -> ClearwaterRun {
        try runClearwater(arguments, in: directory)
    }

    @Test func buildAndCheckSucceedWithExitZero() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let themes = ["--themes", FixtureSite.themes.path]
        #expect(try clearwater(["check"] + themes, in: site.root).status == 0)
        let build = try clearwater(["build"] + themes, in: site.root)
        #expect(build.status == 0)
        #expect(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("en/index.html").path))
    }

    @Test func contentErrorsExitOneWithEveryErrorLocated() throws {
        let site = try FixtureSite(["data/targets.csv": "pollutant,medium,year,kind,amount_kg\nPx,air,2013,baseline,1\nPb,air,13,goal,x\n"])
        defer { site.remove() }
        let run = try clearwater(["check", "--themes", FixtureSite.themes.path], in: site.root)
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.range(of: #"^Content/data/targets\.csv:\d+:\d+: error: "#, options: .regularExpression) != nil })
        let build = try clearwater(["build", "--themes", FixtureSite.themes.path], in: site.root)
        #expect(build.status == 1)
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func usageErrorsExitTwo() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        #expect(try clearwater(["build", "--contnet", "x"], in: site.root).status == 2)
        #expect(try clearwater(["build", "--base-url", "not a url"], in: site.root).status == 2)
        #expect(try clearwater(["frobnicate"], in: site.root).status == 2)
    }
}
