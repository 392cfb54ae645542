import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// Builds that die or run out of disk: the previous `public/` stays exactly as it was — or,
/// for a build killed while moving its few files in place, is put back by the next build —
/// and the next build cleans up and succeeds.
@Suite(.serialized) struct FaultTests {
    /// The fixture grown to a few hundred pages, so a build lasts long enough to be killed
    /// in every phase: loading, rendering, staging, linking, swapping.
    static let larger: [String: String?] = {
        var enterprises = FixtureSite.files["data/enterprises.csv"]!
        var disclosures = FixtureSite.files["data/disclosures.csv"]!
        for index in 0..<150 {
            enterprises += "e\(index),企业\(index),Works \(index),,shifeng,smelting,operating,,,\n"
            for year in 2016...2020 { disclosures += "e\(index),\(year),Pb,air,\(index).\(year % 10),kg,,,,,,\n" }
        }
        return ["data/enterprises.csv": enterprises, "data/disclosures.csv": disclosures]
    }()

    static var binary: String { FixtureSite.repository.appendingPathComponent(".build/debug/clearwater").path }

    func build(_ site: FixtureSite, _ extra: [String] = []) throws -> Int32 {
        try ChildProcess.run(Self.binary, ["build", "--themes", FixtureSite.themes.path] + extra, in: site.root.path).status
    }

    /// What a finished build leaves beside the content: the output, its lock, its manifest and the spare tree, nothing else.
    func leftovers(_ site: FixtureSite) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: site.root.path).sorted()
    }

    /// A build killed while writing a store leaves it under its `.new` name; the next build
    /// removes it even where it need not write that store again (an unchanged search index).
    @Test func theStoresAKilledBuildWasWritingGoWithTheNextBuild() throws {
        let site = try FixtureSite(Self.larger)
        defer { site.remove() }
        #expect(try build(site) == 0)
        let stores = try leftovers(site)
        for name in [".public.clearwater.search.new", ".public.clearwater.manifest.new", ".public.clearwater.disclosures.new",
                     ".public.clearwater.datasets.new"] {
            try Data("half written".utf8).write(to: site.root.appendingPathComponent(name))
        }
        #expect(try build(site) == 0)
        // Only the spare tree may be new: the rebuild leaves its staging folder as the next spare.
        #expect(try leftovers(site).filter { $0 != ".public.clearwater-spare" } == stores)
    }

    @Test func buildsKilledAtRandomMomentsLeaveThePreviousOutputExactlyAsItWas() async throws {
        let site = try FixtureSite(Self.larger)
        defer { site.remove() }
        #expect(try build(site) == 0)
        var expected = site.snapshot()
        let clock = ContinuousClock()
        // How long an uninterrupted incremental build takes here and now, so the kills spread
        // over a whole build on a fast machine and a loaded one alike.
        try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: #"e7,2020,Pb,air,[0-9.]+,"#, with: "e7,2020,Pb,air,99.5,", options: .regularExpression))
        var status: Int32 = -1
        let duration = try clock.measure { status = try build(site) }
        #expect(status == 0)
        expected = site.snapshot()
        var random = SeededGenerator(seed: 6)
        var killed = 0, swappedBeforeKill = 0
        var trial = 0
        // Until twenty builds died before their swap (bounded: the delays mostly fall inside a build).
        while killed - swappedBeforeKill < 20 && trial < 80 {
            defer { trial += 1 }
            // A data edit: an incremental build, or every fourth time --clean.
            let amount = "\(trial + 100).5"
            try site.write("data/disclosures.csv", site.readContent("data/disclosures.csv").replacingOccurrences(of: #"e7,2020,Pb,air,[0-9.]+,"#, with: "e7,2020,Pb,air,\(amount),", options: .regularExpression))
            let arguments = ["build", "--themes", FixtureSite.themes.path] + (trial % 4 == 3 ? ["--clean"] : [])
            let before = expected
            let child = try ChildProcess.start(Self.binary, arguments, in: site.root.path)
            // Fault injection, not synchronisation: the kill lands anywhere in the build.
            let delay = Duration.seconds(Double.random(in: 0...1.0, using: &random)) * (duration / .seconds(1))
            try await Task.sleep(for: delay)
            child.kill(SIGKILL)
            let status = child.wait()
            if status == 128 + SIGKILL {
                killed += 1
                let now = site.snapshot()
                if FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".public.clearwater.undo").path) {
                    // Killed while moving its few changed files into the output, or before the
                    // manifest that completes that: the next build puts the old files back, then
                    // makes the new site; the final comparison with a clean build checks it.
                    swappedBeforeKill += 1
                    #expect(try build(site) == 0)
                    #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent(".public.clearwater.undo").path))
                } else if now != expected {
                    // Killed after its swap: then the output must be the whole new site, which
                    // an uninterrupted build of the same content leaves byte for byte alone.
                    swappedBeforeKill += 1
                    #expect(try build(site) == 0)
                    let after = site.snapshot()
                    let differing = Set(now.keys).union(after.keys).filter { now[$0] != after[$0] }.sorted()
                    #expect(differing.isEmpty, "trial \(trial): a build killed after \(delay) left neither the old site nor the new one: \(differing.prefix(5))")
                }
                expected = site.snapshot()
            } else {
                #expect(status == 0)
                expected = site.snapshot()
            }
            #expect(site.read("data/disclosures.csv").contains("e7,2020,Pb,air,\(amount),") == (expected != before), "trial \(trial)")
        }
        #expect(killed - swappedBeforeKill >= 20, "only \(killed - swappedBeforeKill) of \(trial) builds were killed before their swap")
        #expect(try build(site) == 0)
        // The spare tree and its manifest are there once a build swapped a tree in, and the stores
        // replaced since, kept to be written over (`writeStore`); no undo journal stays.
        #expect(try leftovers(site).filter { ![".public.clearwater-spare", ".public.clearwater.spare-manifest"].contains($0) && !$0.hasSuffix(".spare") }
            == [".public.clearwater.datasets", ".public.clearwater.disclosures", ".public.clearwater.lock", ".public.clearwater.manifest", ".public.clearwater.names",
                ".public.clearwater.pages", ".public.clearwater.search", "Content", "public"])
        // And what is left is the site the content describes, as a clean build makes it.
        let clean = try FixtureSite(Self.larger)
        defer { clean.remove() }
        try Data(site.readContent("data/disclosures.csv").utf8).write(to: clean.content.appendingPathComponent("data/disclosures.csv"))
        try FileManager.default.copyItem(at: site.output, to: clean.output)
        #expect(try build(clean, ["--clean"]) == 0)
        #expect(site.snapshot() == clean.snapshot())
    }

    /// A small tmpfs in a private mount namespace (`unshare`, as root or as a user with
    /// user namespaces) holds the site: a build that needs more than is left fails with the
    /// system's reason, the old output is untouched and, once there is room, the next build succeeds.
    @Test func aFullDiskFailsTheBuildAndKeepsThePreviousOutput() throws {
        let site = try FixtureSite(Self.larger)
        defer { site.remove() }
        #expect(try build(site) == 0)
        let size = site.snapshot().values.reduce(0) { $0 + $1.count }
        let results = site.root.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        // Room for one copy of the output and a half: a --clean build needs two.
        let script = """
            set -u
            disk="$1"; results="$2"; binary="$3"; themes="$4"; size="$5"
            mkdir -p "$disk" && mount -t tmpfs -o size=$((size * 3 / 2 / 1024 + 256))k tmpfs "$disk" || exit 90
            cp -r Content "$disk/Content" && cd "$disk" || exit 91
            "$binary" build --themes "$themes" > "$results/first.out" 2>&1; echo $? > "$results/first.status"
            cp -r public "$results/before"
            "$binary" build --clean --themes "$themes" > "$results/full.out" 2>&1; echo $? > "$results/full.status"
            cp -r public "$results/after"
            ls -A > "$results/listing"
            mount -o remount,size=$((size * 3 / 1024 + 256))k "$disk" || exit 92
            "$binary" build --themes "$themes" > "$results/next.out" 2>&1; echo $? > "$results/next.status"
            ls -A > "$results/listing-next"
            """
        let run = try ChildProcess.run("unshare", ["--mount", "--map-root-user", "--propagation", "private", "sh", "-c", script, "sh",
                                                   site.root.appendingPathComponent("disk").path, results.path, Self.binary, FixtureSite.themes.path, String(size)],
                                       in: site.root.path)
        #expect(run.status == 0, "\(String(decoding: run.stderr, as: UTF8.self))")
        func read(_ name: String) -> String { (try? String(contentsOf: results.appendingPathComponent(name), encoding: .utf8)) ?? "" }
        #expect(read("first.status") == "0\n", "\(read("first.out"))")
        #expect(read("full.status") == "1\n")
        #expect(read("full.out").contains("No space left on device"), "\(read("full.out"))")
        #expect(site.snapshot(of: results.appendingPathComponent("after")) == site.snapshot(of: results.appendingPathComponent("before")))
        #expect(site.snapshot(of: results.appendingPathComponent("before")).count > 300)
        // The failed build had written the search index's rows before the disk filled up: the
        // store they replaced is kept, to be written over by the next. The first build left
        // copies of the decoded rows and the manifest for the next to write over (`PendingStore`).
        #expect(read("listing") == ".public.clearwater.datasets\n.public.clearwater.disclosures\n.public.clearwater.disclosures.spare\n.public.clearwater.lock\n"
                + ".public.clearwater.manifest\n.public.clearwater.manifest.spare\n.public.clearwater.names\n"
                + ".public.clearwater.pages\n.public.clearwater.search\n.public.clearwater.search.spare\nContent\npublic\n")
        #expect(read("next.status") == "0\n", "\(read("next.out"))")
        // Nothing changed since the first build: the output stays in place, and its staging folder is the spare.
        #expect(read("listing-next") == ".public.clearwater-spare\n.public.clearwater.datasets\n.public.clearwater.disclosures\n.public.clearwater.disclosures.spare\n"
                + ".public.clearwater.lock\n.public.clearwater.manifest\n.public.clearwater.manifest.spare\n.public.clearwater.names\n"
                + ".public.clearwater.pages\n.public.clearwater.search\n.public.clearwater.search.spare\nContent\npublic\n")
    }
}
