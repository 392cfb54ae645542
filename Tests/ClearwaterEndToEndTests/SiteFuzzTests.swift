import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// Whole sites with one mutated file, through `check` and `build` as users run them: every
/// run ends in a site or in located errors, and a failed build leaves the last good output
/// byte for byte as it was.
@Suite struct SiteFuzzTests {
    @Test(.timeLimit(.minutes(Int(InputMutator.timeLimit.components.seconds / 60) + 1))) func mutatedSitesBuildOrFailCleanly() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let paths = FixtureSite.files.keys.sorted()
        var mutators = Dictionary(uniqueKeysWithValues: paths.enumerated().map { index, path in
            (path, InputMutator(seeds: [FixtureSite.files[path]!], seed: InputMutator.runSeed &+ UInt64(index)))
        })
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: InputMutator.budget * 2)
        var round = 0, built = 0
        while clock.now < deadline {
            let path = paths[round % paths.count]
            round += 1
            let input = mutators[path]!.next()
            try Data(input).write(to: site.content.appendingPathComponent(path))
            try Data(input).write(to: InputMutator.reproducer("site-" + path.replacingOccurrences(of: "/", with: "-")))
            let before = site.snapshot()
            do {
                _ = try await site.build()
                built += 1
            } catch let errors as ContentErrors {
                let lines = errors.diagnostics.filter { $0.severity == .error }.map(\.description)
                #expect(!lines.isEmpty && lines.allSatisfy { $0.range(of: #"^(Content|Themes)/[^:]+:\d+:\d+: error: \S"#, options: .regularExpression) != nil },
                        "round \(round), \(path), seed \(InputMutator.runSeed): \(lines.prefix(3))")
                #expect(site.snapshot() == before, "a failed build changed the output (round \(round), \(path))")
            }
            try site.write(path, FixtureSite.files[path]!)
            try? FileManager.default.removeItem(at: InputMutator.reproducer("site-" + path.replacingOccurrences(of: "/", with: "-")))
        }
        #expect(round > 0)
        #expect(built > 0)
    }
}
