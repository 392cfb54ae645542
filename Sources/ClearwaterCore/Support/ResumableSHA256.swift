import COpenSSLCrypto

/// SHA-256 whose running state a build can keep for the next one, so that the digest of a large
/// download starts again where the file first changed instead of at its first byte
/// (`PiecewiseFile`): at province scale hashing `disclosures.csv` was the largest part of writing
/// the downloads after a changed row. swift-crypto keeps its state private; OpenSSL's
/// `SHA256_CTX` is a plain structure of the library's ABI.
struct ResumableSHA256 {
    /// A state as bytes, as the build manifest keeps it: the same library on the same machine
    /// reads it back.
    struct State: Equatable, Sendable {
        let bytes: [UInt8]
    }

    private var context = SHA256_CTX()

    init() {
        SHA256_Init(&context)
    }

    /// Where `state` left off; `nil` for bytes no SHA-256 state could be.
    init?(state: State) {
        guard state.bytes.count == MemoryLayout<SHA256_CTX>.size else { return nil }
        withUnsafeMutableBytes(of: &context) { $0.copyBytes(from: state.bytes) }
        guard context.md_len == UInt32(SHA256_DIGEST_LENGTH), context.num < UInt32(SHA256_CBLOCK) else { return nil }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        SHA256_Update(&context, bytes.baseAddress, bytes.count)
    }

    var state: State {
        State(bytes: withUnsafeBytes(of: context) { Array($0) })
    }

    /// How many bytes it has hashed: a kept state is taken only at the offset it was kept at.
    var byteCount: Int {
        Int(UInt64(context.Nh) << 32 | UInt64(context.Nl)) / 8
    }

    /// Lowercase hex, as `sha256sum` prints it, of everything hashed; the state goes on as it was.
    func finalize() -> String {
        var finished = context
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256_Final(&digest, &finished)
        return HexDigits.hex(digest)
    }
}
