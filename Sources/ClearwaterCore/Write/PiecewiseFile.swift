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
    /// Bytes appended since, while they are the previous build's file's (`followPrevious`):
    /// counted, not copied, and handed over from where that file is mapped. `pending` is empty
    /// while there are any.
    private var lent = 0
    private var previous: EnterpriseChunks.PreviousFile?
    /// Bytes appended so far.
    var count: Int { size + lent + pending.count }
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

    mutating func append<Bytes: Collection<UInt8>>(contentsOf bytes: Bytes) throws {
        if isLending {
            lent += bytes.count
        } else {
            pending.append(contentsOf: bytes)
        }
        if lent + pending.count >= Self.pieceSize { try handOver(last: false) }
    }

    mutating func append(_ byte: UInt8) {
        if isLending { lent += 1 } else { pending.append(byte) }
    }

    /// Whether the bytes appended are counted as the previous file's rather than copied.
    private var isLending: Bool { followsPrevious && previous != nil }

    /// A JSON string literal, escaped as `JSONText` escapes it.
    mutating func append(jsonQuoted text: String) throws {
        if isLending {
            var escaped: [UInt8] = []
            JSONText.append(quoted: text, to: &escaped)
            lent += escaped.count
        } else {
            JSONText.append(quoted: text, to: &pending)
        }
        if lent + pending.count >= Self.pieceSize { try handOver(last: false) }
    }

    /// The bytes appended so far, and from now on until `diverge`, are those `previous` holds
    /// at the same offsets: from here on they are lent from it rather than copied (where it
    /// holds those appended so far).
    mutating func followPrevious(_ previous: EnterpriseChunks.PreviousFile) {
        followsPrevious = true
        guard previous.size >= count else { return }
        self.previous = previous
        lent += pending.count
        pending.removeAll(keepingCapacity: true)
    }

    /// The bytes from here on may differ from the previous build's file: those lent so far are
    /// copied in, for what follows to join them.
    mutating func diverge() throws {
        if followsPrevious { sameAsPreviousUntil = count }
        followsPrevious = false
        guard lent > 0 else { return }
        guard previous?.withBytes(in: size..<(size + lent), { pending.append(contentsOf: $0) }) != nil else { throw unreadablePrevious }
        lent = 0
    }

    /// The previous build's file ends before bytes it was found to hold: changed under the build.
    private var unreadablePrevious: OutputWriter.Failure {
        OutputWriter.Failure(description: "cannot read the previous build's \(path) again: it changed during the build")
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
        let end = count
        let sameAsPrevious = followsPrevious || end <= sameAsPreviousUntil
        let piece: OutputFile.Piece = size == 0 && last ? .whole : .part(offset: size, isLast: last)
        let part: OutputFile
        if lent > 0 {
            guard let lending = previous?.lend(size..<end) else { throw unreadablePrevious }
            part = OutputFile(path: path, lent: lending, piece: piece, copiesPrevious: !last && sameAsPrevious)
        } else {
            part = OutputFile(path: path, contents: pending, piece: piece, copiesPrevious: !last && sameAsPrevious)
        }
        try emit(part)
        if var digest = hash {
            if sameAsPrevious, let state = previousStates[end], let resumed = ResumableSHA256(state: state), resumed.byteCount == end {
                digest = resumed
            } else {
                part.withUnsafeBytes { digest.update($0) }
            }
            if !last { hashStates[end] = digest.state }
            hash = digest
        }
        if lent > 0 { previous?.letGo(before: end) }
        (size, lent) = (end, 0)
        pending.removeAll(keepingCapacity: true)
    }
}
