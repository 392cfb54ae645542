@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

/// The build manifest reads back what it wrote, and a manifest cut short or damaged anywhere is
/// no manifest at all (the next build is then full), never a crash.
@Suite struct BuildManifestTests {
    @Test func readsBackWhatItWroteAndNothingDamaged() throws {
        try withTemporaryFolder("clearwater-manifest") { folder in
            let location = folder.appendingPathComponent("manifest")
            var manifest = BuildManifest()
            manifest.root = UInt64.max
            // Digests (a file's inputs, chunk keys) at both ends of their range, and in between.
            let (k1, k2, k3) = (ContentDigest(high: 0, low: 0), ContentDigest(high: .max, low: .max), ContentDigest(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210))
            let inputs = ContentDigest(high: 0x1111_2222_3333_4444, low: 0x5555_6666_7777_8888)
            manifest.entries["en/index.html"] = BuildManifest.Entry(inputs: inputs, stamp: FileStamp(size: 12, modifiedNanoseconds: 1_764_979_200_123_456_789, inode: 42))
            manifest.entries["zh/a b/index.html"] = BuildManifest.Entry(inputs: nil, stamp: FileStamp(size: 0, modifiedNanoseconds: 0, inode: 7))
            // A path with a line break, and a file stamped before 1970.
            manifest.entries["en/a\nb.html"] = BuildManifest.Entry(inputs: k1, stamp: FileStamp(size: 1, modifiedNanoseconds: -1_000_000_007, inode: 3))
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

            var empty = BuildManifest()
            try empty.prepare(at: location).commit()
            #expect(try #require(BuildManifest.read(at: location)).lists(sameAs: empty))

            try manifest.prepare(at: location).commit()
            let bytes = try Data(contentsOf: location)
            for length in 0..<bytes.count {
                try bytes.prefix(length).write(to: location)
                #expect(BuildManifest.read(at: location) == nil, "length \(length)")
            }
            for position in bytes.indices {
                var damaged = bytes
                damaged[position] ^= 0x21
                try damaged.write(to: location)
                #expect(BuildManifest.read(at: location) == nil, "byte \(position)")
                #expect(BuildManifest.read(at: location, filesOnly: true) == nil, "byte \(position)")
            }
            // The text manifests of earlier versions are not read.
            try Data("clearwater-manifest 6\nroot 2\n".utf8).write(to: location)
            #expect(BuildManifest.read(at: location) == nil)
        }
    }
}
