@testable import ClearwaterCore
import Crypto
import Foundation
import Testing

/// A release's `SHA256SUMS` lists every file with its digest, and the check a deploy runs on
/// the target, its lines split over the cores, passes only when every file listed is there
/// with those bytes, whichever part of the list names it.
@Suite struct ReleaseChecksumsTests {
    @Test func theChecksumsListEveryFileAndTheCheckFailsForAnyFileThatDiffers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-sums-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = (0..<40).map { "pages/page-\($0)/index.html" } + ["index.html", "data/disclosures.csv", "名录/索引.html"]
        for (number, file) in files.enumerated() {
            let url = folder.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("file \(number)\n".utf8).write(to: url)
        }
        let sums = try ReleaseChecksums.text(for: folder)
        #expect(sums == files.sorted().map { "\(SHA256.hash(data: Data("file \(files.firstIndex(of: $0)!)\n".utf8)).hex)  ./\($0)" }.joined(separator: "\n") + "\n")
        try Data(sums.utf8).write(to: folder.appendingPathComponent(ReleaseChecksums.fileName))
        let check = { try ShellCommand(arguments: ["sh", "-c", "cd \(ShellCommand.quote(folder.path)) && { \(ReleaseChecksums.checkScript); }"]).run() }
        _ = try check()

        for file in [files.sorted().first!, files[20], files.sorted().last!] {
            let url = folder.appendingPathComponent(file)
            let bytes = try Data(contentsOf: url)
            try Data("changed\n".utf8).write(to: url)
            #expect(throws: ShellCommand.Failure.self, "\(file) changed") { try check() }
            try FileManager.default.removeItem(at: url)
            #expect(throws: ShellCommand.Failure.self, "\(file) gone") { try check() }
            try bytes.write(to: url)
            _ = try check()
        }
    }
}
