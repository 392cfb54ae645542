@testable import ClearwaterCore
import Testing
import TestSupport

/// A rebuild finds how much of `disclosures.csv` is unchanged at either end from the digests
/// the previous build kept (`TextBlocks`): never more than is, and never a block less.
@Suite struct TextBlocksTests {
    static let header = Array("enterprise_id,year,amount\n".utf8)
    static let body = header.count

    static func text(rows: Int, random: inout SeededGenerator) -> [UInt8] {
        header + (0..<rows).flatMap { _ in Array("e\(Int.random(in: 0..<100, using: &random)),2020,\(Int.random(in: 0..<10_000, using: &random)).5\n".utf8) }
    }

    /// How many bytes the two share at their start, exactly.
    static func exactPrefix(_ old: [UInt8], _ new: [UInt8]) -> Int {
        var prefix = 0
        while prefix < min(old.count, new.count), old[prefix] == new[prefix] { prefix += 1 }
        return prefix
    }

    @Test func theSharedEndsAreFoundToWithinABlock() {
        var random = SeededGenerator(seed: 11)
        for step in 0..<400 {
            let blockSize = [16, 64, 100][step % 3]
            let old = Self.text(rows: Int.random(in: 0..<80, using: &random), random: &random)
            var new = old
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where new.count > Self.body:
                new[Int.random(in: Self.body..<new.count, using: &random)] ^= 0x01
            case 1:
                let at = Int.random(in: Self.body...new.count, using: &random)
                new.insert(contentsOf: Array("e7,2021,3.5\n".utf8), at: at)
            case 2 where new.count > Self.body:
                let at = Int.random(in: Self.body..<new.count, using: &random)
                new.removeSubrange(at..<min(new.count, at + Int.random(in: 1...40, using: &random)))
            default:
                break
            }
            let oldBlocks = TextBlocks(text: TextBytes(copying: old), body: Self.body, blockSize: blockSize)
            let (prefix, suffix) = oldBlocks.commonEnds(with: TextBytes(copying: new), body: Self.body)
            // The new text's digests, taken from the old one's where they share blocks, are those of every block hashed.
            let shared = TextBlocks(text: TextBytes(copying: new), body: Self.body, blockSize: blockSize,
                                    sharing: TextBlocks.Shared(blocks: oldBlocks, prefix: prefix, suffix: suffix))
            let hashed = TextBlocks(text: TextBytes(copying: new), body: Self.body, blockSize: blockSize)
            #expect(shared.forward == hashed.forward && shared.backward == hashed.backward && shared.digest == hashed.digest, "step \(step)")
            #expect((shared.digest == oldBlocks.digest) == (old == new), "step \(step): the digest must tell the texts apart")
            let exact = Self.exactPrefix(old, new)
            #expect(prefix >= Self.body && prefix <= exact && prefix > exact - blockSize, "step \(step): prefix \(prefix), exactly \(exact)")
            // At the end, as much as the bytes after `prefix` allow.
            let room = min(old.count, new.count) - prefix
            var best = 0
            while best < room, old[old.count - 1 - best] == new[new.count - 1 - best] { best += 1 }
            #expect(suffix <= best && suffix > best - blockSize, "step \(step): suffix \(suffix), exactly \(best)")
        }
    }

    @Test func anUnchangedTextIsSharedWholeAndAnotherHeaderSharesNothing() {
        var random = SeededGenerator(seed: 3)
        let old = Self.text(rows: 50, random: &random)
        let blocks = TextBlocks(text: TextBytes(copying: old), body: Self.body, blockSize: 64)
        #expect(blocks.commonEnds(with: TextBytes(copying: old), body: Self.body).prefix == old.count)
        #expect(blocks.commonEnds(with: TextBytes(copying: old + Array("e1,2021,1\n".utf8)), body: Self.body).prefix == old.count)
        var other = old
        other[3] = UInt8(ascii: "X")
        #expect(blocks.commonEnds(with: TextBytes(copying: other), body: Self.body) == (0, 0))
    }
}
