@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// Folders made through bins and moved into place (`FolderSpreader`) behave as `mkdir` does,
/// from two threads at once, and leave nothing behind.
@Suite struct FolderSpreaderTests {
    @Test func foldersMadeThroughBinsAreWhereMkdirWouldPutThemAndTheBinsGo() throws {
        try inFreshFolder { folder throws in
            let spreader = FolderSpreader(root: folder.appendingPathComponent("bins").path)
            spreader.start()
            // The bins' folder carries the top-of-tree mark wherever the file system has it.
            let marks = try ChildProcess.run("/usr/bin/lsattr", ["-d", spreader.root])
            if marks.status == 0 {
                #expect(String(decoding: marks.stdout, as: UTF8.self).split(separator: " ").first?.contains("T") == true)
            }

            let site = folder.appendingPathComponent("site").path
            #expect(spreader.makeFolder(site))
            // A hundred folders from each of two threads: more than three bins' worth.
            let made = Parallel.both({ (0..<100).allSatisfy { spreader.makeFolder(site + "/a\($0)") } },
                                     { (0..<100).allSatisfy { spreader.makeFolder(site + "/b\($0)") } })
            #expect(made == (true, true))
            let names = try FileManager.default.contentsOfDirectory(atPath: site)
            #expect(Set(names) == Set((0..<100).flatMap { ["a\($0)", "b\($0)"] }))

            // As `mkdir`: EEXIST over a folder or a file, ENOENT without the parent; nothing moved.
            #expect(!spreader.makeFolder(site + "/a1") && errno == EEXIST)
            try Data("x".utf8).write(to: URL(fileURLWithPath: site + "/file"))
            #expect(!spreader.makeFolder(site + "/file") && errno == EEXIST)
            #expect(!spreader.makeFolder(site + "/missing/child") && errno == ENOENT)
            #expect(try FileManager.default.contentsOfDirectory(atPath: site + "/a1").isEmpty)

            spreader.finish()
            #expect(!FileManager.default.fileExists(atPath: spreader.root))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["site"])
        }
    }

    /// Where the bins' folder cannot be made, folders are made in place.
    @Test func withoutItsBinsFolderItMakesFoldersInPlace() throws {
        try inFreshFolder { folder throws in
            let spreader = FolderSpreader(root: folder.appendingPathComponent("no/such/bins").path)
            spreader.start()
            #expect(spreader.makeFolder(folder.appendingPathComponent("page").path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["page"])
            spreader.finish()
        }
    }

    /// Runs `body` with a new empty folder, removed afterwards.
    private func inFreshFolder(_ body: (URL) throws -> Void) throws {
        try withTemporaryFolder("clearwater-spread", body)
    }
}
