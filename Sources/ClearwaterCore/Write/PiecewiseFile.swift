import Foundation

/// Writes one large file as `OutputFile` pieces of a few megabytes each.
struct PiecewiseFile {
    private static let pieceSize = 4 << 20

    let path: String
    private let emit: (OutputFile) throws -> Void
    /// An array rather than `Data`: appending UTF-8 text to it is several times faster.
    private var pending: [UInt8] = []
    /// Bytes handed over so far, and their digest when one was asked for.
    private(set) var size = 0
    /// Bytes appended so far.
    var count: Int { size + pending.count }
    private var hash: ResumableSHA256?
    /// The previous build's file's hash state at the end of each of its pieces but the last, by
    /// offset: where this file's bytes so far are still that file's, its state is taken rather
    /// than the piece hashed again.
    private let previousStates: [Int: ResumableSHA256.State]
    /// This file's, for the next build.
    private(set) var hashStates: [Int: ResumableSHA256.State] = [:]
    /// Whether the bytes so far are all the previous build's file's own at the same offsets,
    /// and, once they stop being, up to where they were (`OutputFile.copiesPrevious`).
    private var followsPrevious = false
    private var sameAsPreviousUntil = 0

    /// - Parameter previousStates: the `hashStates` of the previous build's file at the same
    ///   path, while it is as that build wrote it.
    init(path: String, digesting: Bool = false, resuming previousStates: [Int: ResumableSHA256.State] = [:], emit: @escaping (OutputFile) throws -> Void) {
        self.path = path
        self.emit = emit
        self.previousStates = previousStates
        hash = digesting ? ResumableSHA256() : nil
    }

    mutating func append<Bytes: Sequence<UInt8>>(contentsOf bytes: Bytes) throws {
        pending.append(contentsOf: bytes)
        if pending.count >= Self.pieceSize { try handOver(last: false) }
    }

    mutating func append(_ byte: UInt8) {
        pending.append(byte)
    }

    /// A JSON string literal, escaped as `JSONText` escapes it.
    mutating func append(jsonQuoted text: String) throws {
        JSONText.append(quoted: text, to: &pending)
        if pending.count >= Self.pieceSize { try handOver(last: false) }
    }

    /// The bytes appended so far, and from now on until `diverge`, are those the previous
    /// build's file holds at the same offsets.
    mutating func followPrevious() {
        followsPrevious = true
    }

    /// The bytes from here on may differ from the previous build's file.
    mutating func diverge() {
        if followsPrevious { sameAsPreviousUntil = count }
        followsPrevious = false
    }

    /// Hands over what is left — as the whole file if it never grew past one piece — and
    /// returns the SHA-256 of all of it when it was made `digesting`.
    mutating func finish() throws -> String? {
        try handOver(last: true)
        return hash?.finalize()
    }

    /// The bytes are lent, not copied: once `emit` has written them, `pending` is again the only
    /// reference to its buffer, which the next piece reuses.
    private mutating func handOver(last: Bool) throws {
        // Nothing handed over yet (an earlier part is never empty) and this is the last: the whole file.
        // The last part never: the previous file may go on where this one ends.
        let end = size + pending.count
        let sameAsPrevious = followsPrevious || end <= sameAsPreviousUntil
        try emit(OutputFile(path: path, contents: pending, piece: size == 0 && last ? .whole : .part(offset: size, isLast: last),
                            copiesPrevious: !last && sameAsPrevious))
        if var digest = hash {
            if sameAsPrevious, let state = previousStates[end], let resumed = ResumableSHA256(state: state), resumed.byteCount == end {
                digest = resumed
            } else {
                pending.withUnsafeBytes { digest.update($0) }
            }
            if !last { hashStates[end] = digest.state }
            hash = digest
        }
        size = end
        pending.removeAll(keepingCapacity: true)
    }
}
