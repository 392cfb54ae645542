@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The build manifest reads back what it wrote, and a manifest whose numbers are not numbers
/// it wrote, or that could not list a path, is no manifest at all (the next build is then
/// full), never a crash.
@Suite struct BuildManifestTests {
    @Test func readsBackWhatItWroteAndRefusesNumbersItCouldNotHaveWritten() throws {
        try withTemporaryFolder("clearwater-manifest") { folder in
            let location = folder.appendingPathComponent("manifest")
            var manifest = BuildManifest()
            manifest.root = UInt64.max
            // Digests (a file's inputs, chunk keys) at both ends of the digits, and in between.
            let (k1, k2, k3) = (ContentDigest(high: 0, low: 0), ContentDigest(high: .max, low: .max), ContentDigest(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210))
            let inputs = ContentDigest(high: 0x1111_2222_3333_4444, low: 0x5555_6666_7777_8888)
            manifest.entries["en/index.html"] = BuildManifest.Entry(inputs: inputs, stamp: FileStamp(size: 12, modifiedNanoseconds: 1_764_979_200_123_456_789, inode: 42))
            manifest.entries["zh/a b/index.html"] = BuildManifest.Entry(inputs: nil, stamp: FileStamp(size: 0, modifiedNanoseconds: 0, inode: 7))
            manifest.chunks["data/disclosures.csv"] = [k1: 3..<90, k2: 90..<91]
            manifest.chunks["data/disclosures.json"] = [k1: 5..<120, k3: 120..<200]
            manifest.rows["en/a b/index.html"] = RenderedRows(rows: [RenderedRows.Row(key: 9, range: 5..<17)]).encoded
            var hash = ResumableSHA256()
            Array("enterprise_id,year\r\n".utf8).withUnsafeBytes { hash.update($0) }
            manifest.hashStates["data/disclosures.csv"] = [20: hash.state, 4_194_304: ResumableSHA256().state]
            try manifest.prepare(at: location).commit()
            let read = try #require(BuildManifest.read(at: location))
            #expect(read.lists(sameAs: manifest))
            // The spare's manifest is read for its files alone: each one's stamp, nothing else.
            let files = try #require(BuildManifest.read(at: location, filesOnly: true))
            #expect(files.root == manifest.root && files.chunks.isEmpty && files.rows.isEmpty && files.hashStates.isEmpty)
            #expect(files.entries == manifest.entries.mapValues { BuildManifest.Entry(inputs: nil, stamp: $0.stamp) })

            let text = try String(contentsOf: location, encoding: .utf8)
            // Blank lines are skipped, and a file's chunks written apart are read as one table.
            let lines = text.split(separator: "\n")
            let (chunks, others) = (lines.filter { $0.hasPrefix("chunk ") }, lines.filter { !$0.hasPrefix("chunk ") })
            let (csv, json) = (chunks.filter { $0.hasSuffix(".csv") }, chunks.filter { $0.hasSuffix(".json") })
            let apart = others + csv.prefix(1) + json + csv.dropFirst()
            try apart.joined(separator: "\n\n").appending("\n").write(to: location, atomically: true, encoding: .utf8)
            let reread = try #require(BuildManifest.read(at: location))
            #expect(reread.lists(sameAs: manifest))
            for (found, damaged) in [("42 en/", "4x2 en/"), ("42 en/", "-42 en/"), ("42 en/", "99999999999999999999 en/"), (" 12 ", " 9223372036854775808 "),
                                     ("3 90 data", "90 3 data"), ("3 90 data", " 90 data"),
                                     // A chunk's key is a digest's 32 lowercase hex digits, nothing else.
                                     ("0123456789abcdef", "0123456789abcdeg"), ("0123456789abcdef", "0123456789ABCDEF"), ("0123456789abcdef", "0123456789abcde"),
                                     // So are a file's inputs.
                                     ("1111222233334444", "111122223333444x"), ("1111222233334444", "111122223333444"),
                                     // A hash state is hex digits, two a byte.
                                     ("sha256 20 ", "sha256 2x "), (hash.state.bytes.prefix(2).map { String(format: "%02x", $0) }.joined(), "Z")] {
                try text.replacingOccurrences(of: found, with: damaged).write(to: location, atomically: true, encoding: .utf8)
                #expect(BuildManifest.read(at: location) == nil, "\(damaged)")
            }
            // A file stamped before 1970 is written with its sign, and so makes the next build full.
            manifest.entries["old.html"] = BuildManifest.Entry(inputs: nil, stamp: FileStamp(size: 1, modifiedNanoseconds: -1_000_000_007, inode: 3))
            try manifest.prepare(at: location).commit()
            #expect(try String(contentsOf: location, encoding: .utf8).contains("- 1 -1000000007 3 old.html\n"))
            #expect(BuildManifest.read(at: location) == nil)
            // A path with a line break cannot be listed: the manifest is written empty, and so read as none.
            manifest.entries["old.html"] = nil
            manifest.entries["en/a\nb.html"] = BuildManifest.Entry(inputs: nil, stamp: FileStamp(size: 1, modifiedNanoseconds: 5, inode: 3))
            try manifest.prepare(at: location).commit()
            #expect(try Data(contentsOf: location).isEmpty)
            #expect(BuildManifest.read(at: location) == nil)
        }
    }
}
