@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// A few files moved into the output where they are: done whole once the new manifest is in
/// place, and otherwise undone to the very files the output held before.
@Suite struct InPlaceUpdateTests {
    static let before = ["en/index.html": "old home", "en/about/index.html": "old about", "en/gone/index.html": "gone", "data/a.csv": "a"]
    static let staged = ["en/index.html": "new home", "en/new/deep/index.html": "new page"]
    static let changes: [InPlaceUpdate.Change] = [.replace("en/index.html"), .add("en/new/deep/index.html"), .remove("en/gone/index.html")]

    @Test func anAppliedUpdateGivesTheNewFilesAndOnlyThem() throws {
        try withFolders { output, staging, update in
            try update.apply(Self.changes, from: staging.path)
            try replaceManifest(of: output)
            update.recover()
            #expect(try contents(of: output) == ["en/index.html": "new home", "en/about/index.html": "old about", "data/a.csv": "a", "en/new/deep/index.html": "new page"])
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("en/gone").path))
            #expect(!FileManager.default.fileExists(atPath: update.journal))
        }
    }

    /// A build killed after its files moved but before its manifest was replaced: the next
    /// build finds the journal beside the old manifest and puts back the very inodes.
    @Test func anUpdateWhoseManifestWasNotReplacedIsUndone() throws {
        try withFolders { output, staging, update in
            let inodes = try self.inodes(in: output)
            try update.apply(Self.changes, from: staging.path)
            #expect(try contents(of: output) != Self.before)
            InPlaceUpdate(output: output).recover()
            #expect(try contents(of: output) == Self.before)
            #expect(try self.inodes(in: output) == inodes)
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("en/new").path))
            #expect(!FileManager.default.fileExists(atPath: update.journal))
        }
    }

    /// A change that cannot be made part-way through: what went before it is put back.
    @Test func aFailurePartWayPutsEverythingBack() throws {
        try withFolders { output, staging, update in
            let inodes = try self.inodes(in: output)
            let failing = [InPlaceUpdate.Change.replace("en/index.html"), .remove("en/gone/index.html"), .add("en/not-staged.html")]
            #expect(throws: OutputWriter.Failure.self) { try update.apply(failing, from: staging.path) }
            #expect(try contents(of: output) == Self.before)
            #expect(try self.inodes(in: output) == inodes)
            #expect(!FileManager.default.fileExists(atPath: update.journal))
        }
    }

    /// A build starts by settling the journal a killed build left: the old files are back
    /// before it compares anything, so it finds nothing to write.
    @Test func aBuildFirstUndoesTheUpdateAKilledBuildLeft() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let before = site.snapshot()
        let update = try leaveHalfPublished([.replace("en/about/index.html"), .add("en/half/index.html")], in: site)
        #expect(site.snapshot() != before)
        let report = try await site.build()
        #expect(report.written == 0)
        #expect(site.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: update.journal))
    }

    /// `deploy` publishes the last whole build, never the mix a killed build left.
    @Test func aDeployPublishesTheLastWholeBuild() async throws {
        let site = try await FixtureSite.built()
        defer { site.remove() }
        let before = site.snapshot()
        try leaveHalfPublished([.replace("en/about/index.html")], in: site)
        let webRoot = site.root.appendingPathComponent("www")
        let release = try Deployer(site: site.output, target: try #require(DeployTarget(webRoot.path)), keep: 3).deploy()
        #expect(site.snapshot(of: webRoot.appendingPathComponent("releases/\(release)")).filter { $0.key != "SHA256SUMS" } == before)
    }

    @Test func aFileCannotBeAddedWhereSomethingIsOrUnderAFile() throws {
        try withFolders { output, _, update in
            #expect(update.canAdd("en/new/index.html"))
            #expect(!update.canAdd("en/index.html"))
            #expect(!update.canAdd("en/about"))
            #expect(!update.canAdd("data/a.csv/inside.html"))
        }
    }

    /// What a build killed after moving its files in leaves: the update applied, not finished.
    @discardableResult
    private func leaveHalfPublished(_ changes: [InPlaceUpdate.Change], in site: FixtureSite) throws -> InPlaceUpdate {
        let staging = site.root.appendingPathComponent("killed-staging")
        for change in changes {
            let path: String
            switch change {
            case let .replace(staged), let .add(staged): path = staged
            case .remove: continue
            }
            try FileManager.default.createDirectory(at: staging.appendingPathComponent(path).deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("half published".utf8).write(to: staging.appendingPathComponent(path))
        }
        let update = InPlaceUpdate(output: site.output)
        try update.apply(changes, from: staging.path)
        return update
    }

    private func withFolders(_ body: (URL, URL, InPlaceUpdate) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-in-place-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let (output, staging) = (root.appendingPathComponent("public"), root.appendingPathComponent("staging"))
        for (folder, files) in [(output, Self.before), (staging, Self.staged)] {
            for (path, text) in files {
                let file = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
        }
        try Data("manifest".utf8).write(to: BuildManifest.location(of: output))
        try body(output, staging, InPlaceUpdate(output: output))
    }

    /// As a build commits: the new manifest renamed over the old one.
    private func replaceManifest(of output: URL) throws {
        let location = BuildManifest.location(of: output)
        try Data("new manifest".utf8).write(to: location.appendingPathExtension("new"))
        #expect(rename(location.appendingPathExtension("new").path, location.path) == 0)
    }

    private func contents(of folder: URL) throws -> [String: String] {
        try files(in: folder).mapValues { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }

    private func inodes(in folder: URL) throws -> [String: UInt64] {
        try files(in: folder).mapValues { try #require(FileStamp(path: folder.appendingPathComponent($0).path)).inode }
    }

    private func files(in folder: URL) throws -> [String: String] {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { FileStamp(path: folder.appendingPathComponent($0).path) != nil }
        return Dictionary(uniqueKeysWithValues: paths.map { ($0, $0) })
    }
}
