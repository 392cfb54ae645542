import NIOCore

/// Digests of a data file's text a block at a time, from its first row forward and from its
/// end backward: a later build finds how much of its own text is unchanged at either end
/// without the earlier text at hand.
///
/// Kept in place of the text itself (`DecodedDisclosures.Store`): at province scale the store
/// held all 45 MB of `disclosures.csv`, written, read back and compared on every rebuild.
/// What the digests vouch for is found a block short of the exact bytes at worst, and the
/// rows of that block are decoded again. The header has a digest of its own, so that a change
/// in the first rows still finds the header unchanged and the rows reusable.
struct TextBlocks {
    /// Sixteen kilobytes: two blocks' rows, decoded again, cost under a millisecond, and the
    /// digests of a province's text take 90 KB.
    static let defaultSize = 16 << 10

    let textSize: Int
    /// Where the first row starts.
    let body: Int
    let blockSize: Int
    let header: ContentDigest
    /// Of `[body + i × blockSize, body + (i + 1) × blockSize)`, the last one shorter.
    let forward: [ContentDigest]
    /// Of `[textSize − (i + 1) × blockSize, textSize − i × blockSize)`, all after `body`.
    let backward: [ContentDigest]

    /// A previous build's blocks and how much of this build's text they vouch for (`commonEnds`).
    struct Shared {
        let blocks: TextBlocks
        let prefix: Int
        let suffix: Int
    }

    /// - Parameter shared: the blocks of the previous build's text that this text shares are
    ///   not hashed again: after a row edited in the middle of a province's disclosures, half
    ///   of each direction's 45 MB.
    init(text: TextBytes, body: Int, blockSize: Int = defaultSize, sharing shared: Shared? = nil) {
        (textSize, self.body, self.blockSize) = (text.count, body, blockSize)
        header = text.digest(of: 0..<body)
        let previous = shared.flatMap { $0.blocks.blockSize == blockSize && $0.blocks.body == body ? $0 : nil }
        // Whole blocks only, each where both texts have it: the prefix may end with the previous
        // text's shorter last block, which this longer text holds at its full size.
        let keptForward = previous.map { max(0, ($0.prefix - body) / blockSize) } ?? 0
        let keptBackward = previous.map { $0.suffix / blockSize } ?? 0
        forward = (previous?.blocks.forward.prefix(keptForward) ?? [])
            + stride(from: body + keptForward * blockSize, to: text.count, by: blockSize).map { text.digest(of: $0..<min($0 + blockSize, text.count)) }
        backward = (previous?.blocks.backward.prefix(keptBackward) ?? [])
            + stride(from: text.count - keptBackward * blockSize, through: body + blockSize, by: -blockSize).map { text.digest(of: ($0 - blockSize)..<$0) }
    }

    /// Of the whole text, from its header's digest and its blocks' from the start: the digest
    /// the build records for the file, with no pass of its own over 45 MB.
    var digest: ContentDigest {
        var parts: [UInt8] = []
        parts.reserveCapacity((forward.count + 1) * 16 + 8)
        withUnsafeBytes(of: UInt64(textSize).littleEndian) { parts.append(contentsOf: $0) }
        for digest in [header] + forward {
            withUnsafeBytes(of: digest.high.littleEndian) { parts.append(contentsOf: $0) }
            withUnsafeBytes(of: digest.low.littleEndian) { parts.append(contentsOf: $0) }
        }
        return ContentDigest(of: parts)
    }

    /// How many bytes `text` shares with the text digested, at its start and then at its end,
    /// never counting a byte twice; each a whole number of blocks but for the header. `(0, 0)`
    /// when the headers differ.
    func commonEnds(with text: TextBytes, body: Int) -> (prefix: Int, suffix: Int) {
        guard body == self.body, body <= text.count, text.digest(of: 0..<body) == header else { return (0, 0) }
        var prefix = body
        for digest in forward {
            let end = min(prefix + blockSize, textSize)
            guard end <= text.count, text.digest(of: prefix..<end) == digest else { break }
            prefix = end
        }
        let room = min(textSize, text.count) - prefix
        var suffix = 0
        for digest in backward {
            guard suffix + blockSize <= room, text.digest(of: (text.count - suffix - blockSize)..<(text.count - suffix)) == digest else { break }
            suffix += blockSize
        }
        return (prefix, suffix)
    }

    func write(to buffer: inout ByteBuffer) {
        for number in [textSize, body, blockSize] { buffer.writeInteger(UInt64(number)) }
        buffer.writeDigest(header)
        for digests in [forward, backward] {
            buffer.writeInteger(UInt64(digests.count))
            for digest in digests { buffer.writeDigest(digest) }
        }
    }

    /// `nil` unless the buffer holds exactly one, consistent with itself.
    init?(reading buffer: inout ByteBuffer) {
        func number() -> Int? { buffer.readInteger(as: UInt64.self).flatMap { Int(exactly: $0) } }
        func digests() -> [ContentDigest]? {
            guard let count = number(), count <= buffer.readableBytes / 16 else { return nil }
            var digests: [ContentDigest] = []
            digests.reserveCapacity(count)
            for _ in 0..<count {
                guard let digest = buffer.readDigest() else { return nil }
                digests.append(digest)
            }
            return digests
        }
        guard let textSize = number(), let body = number(), let blockSize = number(), blockSize > 0, body <= textSize,
              let header = buffer.readDigest(), let forward = digests(), let backward = digests(), buffer.readableBytes == 0,
              forward.count == (textSize - body + blockSize - 1) / blockSize, backward.count == (textSize - body) / blockSize else { return nil }
        (self.textSize, self.body, self.blockSize, self.header, self.forward, self.backward) = (textSize, body, blockSize, header, forward, backward)
    }
}
