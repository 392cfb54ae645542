@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// A large data file is mapped under a read lease (`TextBytes.mapped`): its bytes are the
/// file's, no other program can open it to write while they are held, and a file that cannot
/// be leased is read instead.
@Suite struct TextBytesTests {
    func withFile(_ text: String, _ body: (URL) throws -> Void) throws {
        try withTemporaryFolder("text") { folder in
            let file = folder.appendingPathComponent("disclosures.csv")
            try Data(text.utf8).write(to: file)
            try body(file)
        }
    }

    /// Rows enough for two megabytes, a Chinese destination on each.
    static let large = "\u{FEFF}enterprise_id,year,destination\n" + (0..<40_000).map { "e\($0 % 900),\(2016 + $0 % 5),湘江 Xiang River \($0)\n" }.joined()

    /// Whether a separate process may open the file to write without waiting (`O_NONBLOCK`
    /// makes a lease's wait an `EWOULDBLOCK` instead).
    func anotherProcessCanOpenToWrite(_ file: URL) throws -> Bool {
        let run = try ChildProcess.run("python3", ["-c", "import os,sys\ntry:\n os.close(os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK))\nexcept BlockingIOError:\n sys.exit(3)", file.path])
        #expect(run.status == 0 || run.status == 3, "\(String(decoding: run.stderr, as: UTF8.self))")
        return run.status == 0
    }

    @Test func aLargeFileIsMappedAndNoOtherProgramWritesItWhileHeld() throws {
        try withFile(Self.large) { file in
            var diagnostics = Diagnostics()
            var text = TextFile.data(at: file, path: "data/disclosures.csv", inside: file.deletingLastPathComponent(), encoding: nil, diagnostics: &diagnostics)
            #expect(diagnostics.all.isEmpty)
            #expect(text?.isMapped == true)
            // The byte-order mark dropped, the rest as in the file.
            #expect(text.map { String(decoding: $0.bytes, as: UTF8.self) } == String(Self.large.dropFirst()))
            let writableWhileHeld = try anotherProcessCanOpenToWrite(file)
            #expect(!writableWhileHeld)
            text = nil
            let writableOnceLetGo = try anotherProcessCanOpenToWrite(file)
            #expect(writableOnceLetGo)
        }
    }

    @Test func aFileOpenForWritingElsewhereIsRead() throws {
        try withFile(Self.large) { file in
            let writer = try FileHandle(forWritingTo: file)
            defer { try? writer.close() }
            var diagnostics = Diagnostics()
            let text = TextFile.data(at: file, path: "data/disclosures.csv", inside: file.deletingLastPathComponent(), encoding: nil, diagnostics: &diagnostics)
            #expect(text?.isMapped == false)
            #expect(text.map { String(decoding: $0.bytes, as: UTF8.self) } == String(Self.large.dropFirst()))
        }
    }

    @Test func aMappedTableReadsAsTheSameBytesRead() throws {
        try withFile(Self.large) { file in
            var diagnostics = Diagnostics()
            let mapped = try #require(TextFile.data(at: file, path: "d.csv", inside: file.deletingLastPathComponent(), encoding: nil, diagnostics: &diagnostics))
            #expect(mapped.isMapped)
            func cells(_ table: DataTable) -> [String] {
                var rows = table.rows(), all: [String] = []
                var diagnostics = Diagnostics()
                while let row = rows.next(&diagnostics) { all.append(row.record.cells.map(\.text).joined(separator: "|") + "@\(row.record.line)") }
                return all
            }
            let fromMapping = DataTable(text: mapped, path: "d.csv", columns: [], today: Day("2021-01-01")!, diagnostics: &diagnostics)
            let fromArray = DataTable(utf8: Array(String(Self.large.dropFirst()).utf8), path: "d.csv", columns: [], today: Day("2021-01-01")!, diagnostics: &diagnostics)
            let read = cells(fromArray)
            #expect(read.count == 40_000)
            #expect(cells(fromMapping) == read)
        }
    }
}
