@testable import ClearwaterCore
import Foundation
import Glibc
import Testing

/// Which staged files are written over the file of ours already at their path, and which go
/// into a new file.
@Suite struct OutputWriterTests {
    /// A large file, whole or in parts, is written over the one the staging folder holds, and
    /// ends where its new bytes end; never while something holds that file open. A page goes
    /// into a new file.
    @Test func largeFilesAreWrittenOverUnlessHeldOpen() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-writer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let writer = OutputWriter(output: root.appendingPathComponent("public"))
        _ = try writer.beginStaging(spareListing: nil)
        defer { writer.discardStaging() }
        let large = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        let other = [UInt8](repeating: UInt8(ascii: "b"), count: 1 << 20)
        let open = { (path: String) in try FileHandle(forReadingFrom: URL(fileURLWithPath: writer.inStaging(path))) }
        // The inode a path names, kept from being freed by a descriptor that opens nothing (`O_PATH`,
        // which Glibc's Swift module leaves out): a new file at the path might otherwise get its
        // number, yet a lease takes no notice of such a descriptor.
        var kept: [Int32] = []
        defer { kept.forEach { _ = close($0) } }
        let keep = { (path: String) -> UInt64? in
            let descriptor = Glibc.open(writer.inStaging(path), 0o10_000_000 | O_CLOEXEC)
            var info = stat()
            guard descriptor >= 0, fstat(descriptor, &info) == 0 else { return nil }
            kept.append(descriptor)
            return UInt64(info.st_ino)
        }
        let inode = { (path: String) in FileStamp(path: writer.inStaging(path))?.inode }

        _ = try writer.stage(OutputFile(path: "data/snapshot.json", contents: large + Array("tail".utf8)))
        let snapshot = keep("data/snapshot.json")
        let wholeAgain = try writer.stage(OutputFile(path: "data/snapshot.json", contents: other))
        #expect(snapshot != nil && wholeAgain.inode == snapshot && wholeAgain.size == other.count)
        #expect(try open("data/snapshot.json").readToEnd() == Data(other))

        _ = try writer.stage(OutputFile(path: "data/rows.csv", contents: large + large, piece: .part(offset: 0, isLast: true)))
        let rows = keep("data/rows.csv")
        _ = try writer.stage(OutputFile(path: "data/rows.csv", contents: Array("b".utf8), piece: .part(offset: 0, isLast: false)))
        let partsAgain = try writer.stage(OutputFile(path: "data/rows.csv", contents: Array("c".utf8), piece: .part(offset: 1, isLast: true)))
        #expect(rows != nil && partsAgain.inode == rows && partsAgain.size == 2)

        _ = try writer.stage(OutputFile(path: "en/index.html", contents: Array("a page".utf8)))
        let page = keep("en/index.html")
        _ = try writer.stage(OutputFile(path: "en/index.html", contents: Array("another".utf8)))
        #expect(page != nil && inode("en/index.html") != page)

        let reader = try open("data/snapshot.json")
        defer { try? reader.close() }
        _ = try writer.stage(OutputFile(path: "data/snapshot.json", contents: large))
        #expect(try reader.readToEnd() == Data(other), "written through while held open")
        #expect(inode("data/snapshot.json") != snapshot)
    }
}
