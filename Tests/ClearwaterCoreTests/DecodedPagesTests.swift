@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The pages a build decoded are kept for the next (`DecodedPages.Store`): read back as they
/// were written, and not at all when kept under another context or damaged in any way.
@Suite struct DecodedPagesTests {
    static let pages: DecodedPages = {
        var pages = DecodedPages()
        pages.files["about.en.md"] = DecodedPages.File(
            stamp: FileStamp(size: 120, modifiedNanoseconds: 1_700_000_000_123_456_789, inode: 42),
            version: PageVersion(language: "en", title: "About", summary: "Who we are", weight: -3, date: Day("2020-02-29"), html: "<p>关于 &amp; about</p>\n", sourcePath: ""),
            diagnostics: [Diagnostic(path: "", line: 4, column: 1, severity: .warning, message: "unknown key 'colour'")])
        pages.files["plan/draft.zh.md"] = DecodedPages.File(
            stamp: FileStamp(size: 0, modifiedNanoseconds: 5, inode: 7), version: nil, diagnostics: [])
        return pages
    }()

    /// Everything a reader of the pages sees, to compare two of them.
    static func described(_ pages: DecodedPages?) -> [String] {
        (pages?.files ?? [:]).sorted { $0.key < $1.key }.map { path, file in
            let version = file.version.map { "\($0.language)|\($0.title)|\($0.summary ?? "-")|\($0.weight)|\($0.date?.description ?? "-")|\($0.html)" } ?? "none"
            return "\(path) \(file.stamp) \(version) \(file.diagnostics.map(\.description))"
        }
    }

    @Test func keptPagesReadBackWholeOrNotAtAll() throws {
        try withTemporaryFolder("clearwater-pages") { folder in
            let location = folder.appendingPathComponent("pages")
            let store = DecodedPages.Store(location: location)
            store.write(Self.pages, context: "one")
            #expect(Self.described(store.read(context: "one")) == Self.described(Self.pages))
            #expect(store.read(context: "two") == nil)

            let bytes = try Data(contentsOf: location)
            for length in 0..<bytes.count {
                try bytes.prefix(length).write(to: location)
                #expect(store.read(context: "one") == nil, "length \(length)")
            }
            for position in bytes.indices {
                var damaged = bytes
                damaged[position] ^= 0x21
                try damaged.write(to: location)
                #expect(store.read(context: "one") == nil, "byte \(position)")
            }
        }
    }
}
