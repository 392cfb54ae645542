import CXXHash

/// XXH3's 128-bit digest of some bytes, by which a build tells whether its inputs changed
/// since the previous build.
///
/// Not SHA-256: these digests are only ever compared with the previous build's digests of
/// the publisher's own files, never published, and at province scale a rebuild hashed about
/// 150 MB with SHA-256, a twentieth of its CPU. XXH3 runs at about the speed of memory, and
/// 128 bits leave no accidental collision to fear. What others check (`SHA256SUMS`, the
/// hashes in `datapackage.json`) stays SHA-256.
struct ContentDigest: Hashable, Sendable {
    let low: UInt64
    let high: UInt64

    init(of bytes: UnsafeRawBufferPointer) {
        self.init(XXH3_128bits(bytes.baseAddress, bytes.count))
    }

    init(of bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { ContentDigest(of: $0) }
    }

    init(of bytes: ArraySlice<UInt8>) {
        self = bytes.withUnsafeBytes { ContentDigest(of: $0) }
    }

    init(high: UInt64, low: UInt64) {
        (self.high, self.low) = (high, low)
    }

    fileprivate init(_ hash: XXH128_hash_t) {
        (low, high) = (hash.low64, hash.high64)
    }

    /// Thirty-two lowercase hex digits, high half first, as `xxhsum -H2` prints it.
    var hex: String {
        var text: [UInt8] = []
        appendHex(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The same digits appended to bytes, with no string made on the way.
    func appendHex(to text: inout [UInt8]) {
        text.reserveCapacity(text.count + 32)
        for half in [high, low] {
            for shift in stride(from: 60, through: 0, by: -4) {
                text.append(HexDigits.digits[Int((half >> UInt64(shift)) & 0x0F)])
            }
        }
    }
}

/// A `ContentDigest` of bytes fed piece by piece, for those that do not stand in one buffer.
/// A class: it owns the C library's state, freed with it.
final class ContentHasher {
    private let state: OpaquePointer

    init() {
        guard let state = XXH3_createState() else { fatalError("out of memory for a digest's state") }
        self.state = state
        XXH3_128bits_reset(state)
    }

    deinit {
        XXH3_freeState(state)
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        XXH3_128bits_update(state, bytes.baseAddress, bytes.count)
    }

    func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything fed so far; feeding may go on.
    var digest: ContentDigest {
        ContentDigest(XXH3_128bits_digest(state))
    }

    /// Starts over, as if just made: one state serves many digests in turn.
    func reset() {
        XXH3_128bits_reset(state)
    }
}
