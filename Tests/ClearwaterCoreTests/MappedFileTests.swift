import Foundation
import Testing
import TestSupport
@testable import ClearwaterCore

/// A previous build's file is lent chunk by chunk from its mapping, and the pages before the
/// chunk lent are let go every few megabytes as reading moves on (`MappedFile.release`): every
/// chunk must still read as the file holds it, in order, again once its pages were let go, and
/// out of order; a chunk that runs past the file's end reads as none.
struct MappedFileTests {
    @Test func chunksReadAsTheFileHoldsThemBeforeAndAfterTheirPagesAreLetGo() throws {
        try withTemporaryFolder("clearwater-mapped") { folder in
            // Twenty chunks of a megabyte: the pages are let go twice on the way through.
            let chunkSize = 1 << 20, count = 20
            // No two chunks alike, so a page from the wrong place would show.
            let bytes = (0..<(chunkSize * count)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 20) }
            let path = folder.appendingPathComponent("disclosures.json").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            func key(_ number: Int) -> ContentDigest { ContentDigest(high: 7, low: UInt64(number)) }
            let (pastTheEnd, none) = (ContentDigest(high: 8, low: 0), ContentDigest(high: 9, low: 0))
            var ranges = Dictionary(uniqueKeysWithValues: (0..<count).map { (key($0), ($0 * chunkSize)..<(($0 + 1) * chunkSize)) })
            ranges[pastTheEnd] = (bytes.count - 10)..<(bytes.count + 10)
            let file = EnterpriseChunks.PreviousFile(path: path, ranges: ranges)
            func chunk(_ number: Int) -> [UInt8]? { file.withBytes(ofChunk: key(number)) { Array($0) } }
            func expected(_ number: Int) -> [UInt8] { Array(bytes[(number * chunkSize)..<((number + 1) * chunkSize)]) }

            for number in 0..<count {
                #expect(chunk(number) == expected(number), "chunk \(number)")
            }
            for number in [0, 3, 19, 8, 1] {
                #expect(chunk(number) == expected(number), "chunk \(number) again")
            }
            #expect(file.withBytes(ofChunk: pastTheEnd) { _ in true } == nil)
            #expect(file.chunk(pastTheEnd) == nil && file.chunk(none) == nil && file.chunk(key(5)) == (5 * chunkSize)..<(6 * chunkSize))
            #expect(file.lists(chunk: pastTheEnd) && !file.lists(chunk: none))
            #expect(file.withBytes(in: ranges[pastTheEnd]!) { _ in true } == nil)
            #expect(file.keys { $0 != key(0) }.prefix(3) == [key(1), key(2), key(3)])
        }
    }
}
