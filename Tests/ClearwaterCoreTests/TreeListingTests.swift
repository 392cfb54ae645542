@testable import ClearwaterCore
import Foundation
import Testing

/// A tree's files are taken from its manifest only while it is the very tree the manifest names
/// and none of its folders changed since the manifest was written.
@Suite struct TreeListingTests {
    static let files = ["index.html", "en/index.html", "en/enterprises/alpha/index.html", "en/enterprises/beta/index.html"]

    @Test func anUnchangedTreeIsKnownFromItsManifest() throws {
        try withTree { tree, manifest in
            let listing = try #require(TreeListing(manifest, of: tree.path))
            #expect(listing.inodes.count == Self.files.count)
            for file in Self.files {
                #expect(listing.inodes[file] == FileStamp(path: tree.appendingPathComponent(file).path)?.inode)
            }
        }
    }

    @Test func aFileAddedOrRemovedAnywhereMakesTheManifestUntrusted() throws {
        try withTree { tree, manifest in
            try Data("stray".utf8).write(to: tree.appendingPathComponent("en/enterprises/alpha/stray.html"))
            #expect(TreeListing(manifest, of: tree.path) == nil)
        }
        try withTree { tree, manifest in
            try FileManager.default.removeItem(at: tree.appendingPathComponent("en/enterprises/beta/index.html"))
            #expect(TreeListing(manifest, of: tree.path) == nil)
        }
        try withTree { tree, manifest in
            try FileManager.default.createDirectory(at: tree.appendingPathComponent("zh"), withIntermediateDirectories: true)
            #expect(TreeListing(manifest, of: tree.path) == nil)
        }
    }

    /// The kernel stamps folders from a clock that ticks every few milliseconds: a folder changed
    /// in the tick the manifest was written in may have changed after it.
    @Test func aFolderStampedInTheManifestsOwnTickCountsAsChanged() throws {
        try withTree { tree, manifest in
            try setModified(tree.appendingPathComponent("en/enterprises"), nanoseconds: try #require(manifest.written))
            #expect(TreeListing(manifest, of: tree.path) == nil)
        }
    }

    /// Another tree put in its place, even one whose folders are older than the manifest, is not
    /// the tree the manifest lists.
    @Test func anotherTreeAtTheSamePlaceIsNotTheOneListed() throws {
        try withTree { tree, manifest in
            let other = tree.deletingLastPathComponent().appendingPathComponent("other")
            try makeTree(at: other)
            try FileManager.default.moveItem(at: tree, to: tree.deletingLastPathComponent().appendingPathComponent("old"))
            try FileManager.default.moveItem(at: other, to: tree)
            #expect(TreeListing(manifest, of: tree.path) == nil)
        }
    }

    /// A build checks the spare's listing before it takes the spare as its staging folder; a
    /// tree put in the spare's place in between is not the one listed.
    @Test func aSpareReplacedAfterItsListingIsNotTrusted() throws {
        for replaced in [false, true] {
            try withTree { tree, manifest in
                let folder = tree.deletingLastPathComponent()
                let writer = OutputWriter(output: folder.appendingPathComponent("public"))
                let spare = folder.appendingPathComponent(".public.clearwater-spare")
                try FileManager.default.moveItem(at: tree, to: spare)
                let listing = try #require(writer.spareListing(manifest: manifest))
                if replaced {
                    try FileManager.default.moveItem(at: spare, to: folder.appendingPathComponent("old"))
                    try makeTree(at: spare)
                }
                let staging = try writer.beginStaging(spareListing: listing)
                defer { writer.discardStaging() }
                #expect(staging.isSpare)
                #expect((staging.listing?.inodes.count) == (replaced ? nil : Self.files.count))
            }
        }
    }

    /// A tree of `files`, its folders an hour older than the manifest then written and read back.
    /// What a rebuild finds of the previous output's files all at once, on several threads, is
    /// what `stat` says of each: a file edited or gone, a folder, and a path through a folder
    /// that is missing or is a file are all altered; the files as written are not.
    @Test func filesFoundAlteredAtOnceAreThoseWhoseStampsDiffer() throws {
        try withTree { tree, written in
            var manifest = written
            let stamp = FileStamp(size: 1, modifiedNanoseconds: 1, inode: 1)
            let elsewhere = ["en/enterprises/gone/index.html", "nowhere/a/index.html", "nowhere/b/index.html", "index.html/a/b", "index.html/c/d", "en/enterprises/alpha"]
            for path in (0..<16).map({ "missing-\($0).html" }) + ["en/enterprises"] + elsewhere {
                manifest.entries[path] = BuildManifest.Entry(inputs: nil, stamp: stamp)
            }
            try FileManager.default.removeItem(at: tree.appendingPathComponent("en/index.html"))
            let edited = try #require(Self.files.last { $0 != "en/index.html" && $0 != "index.html" })
            try Data("edited by hand".utf8).write(to: tree.appendingPathComponent(edited))
            let altered = try #require(manifest.filesAltered(below: tree.path))
            #expect(altered == Set(manifest.entries.keys.filter { FileStamp(path: tree.appendingPathComponent($0).path) != manifest.entries[$0]?.stamp }))
            #expect(altered.isSuperset(of: ["en/index.html", edited, "en/enterprises"] + elsewhere))
            #expect(altered.isDisjoint(with: Self.files.filter { $0 != "en/index.html" && $0 != edited }))
            // A build goes by what it found, not by a `stat` of each file again.
            let previous = SiteRenderer.Previous(manifest: manifest, output: tree.path, altered: altered)
            try FileManager.default.removeItem(at: tree.appendingPathComponent("index.html"))
            #expect(Self.files.filter(previous.isIntact) == Self.files.filter { $0 != "en/index.html" && $0 != edited })
            #expect(!SiteRenderer.Previous(manifest: manifest, output: tree.path).isIntact("index.html"))
            #expect(manifest.filesAltered(below: tree.appendingPathComponent("no-such-folder").path) == nil)
        }
    }

    private func withTree(_ body: (URL, BuildManifest) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-listing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tree = folder.appendingPathComponent("tree")
        try makeTree(at: tree)
        var manifest = BuildManifest()
        manifest.root = try #require(TreeListing.folderModified(tree.path)).inode
        for file in Self.files {
            manifest.entries[file] = BuildManifest.Entry(inputs: nil, stamp: try #require(FileStamp(path: tree.appendingPathComponent(file).path)))
        }
        let location = folder.appendingPathComponent("manifest")
        try manifest.prepare(at: location).commit()
        try body(tree, try #require(BuildManifest.read(at: location)))
    }

    private func makeTree(at tree: URL) throws {
        for file in Self.files {
            let url = tree.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.utf8).write(to: url)
        }
        let anHourAgo = (Int(Date().timeIntervalSince1970) - 3600) * 1_000_000_000
        for folder in ["", "en", "en/enterprises", "en/enterprises/alpha", "en/enterprises/beta"] {
            try setModified(folder.isEmpty ? tree : tree.appendingPathComponent(folder), nanoseconds: anHourAgo)
        }
    }

    private func setModified(_ url: URL, nanoseconds: Int) throws {
        let time = timespec(tv_sec: nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        let times = [time, time]
        #expect(utimensat(AT_FDCWD, url.path, times, 0) == 0)
    }
}
