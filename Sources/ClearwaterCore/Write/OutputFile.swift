import Foundation

/// One file of the built site, by its path inside the output folder, or one piece of it.
public struct OutputFile: Sendable, Equatable {
    /// A file of hundreds of megabytes is handed over in parts, so it is never whole in memory:
    /// each says where in the file its bytes go and whether it is the last.
    public enum Piece: Sendable, Equatable {
        case whole
        case part(offset: Int, isLast: Bool)
    }

    public let path: String
    /// Bytes rather than `Data`: pages and open data are made as bytes, and turning them into
    /// `Data` copied every byte a build wrote once more. Empty for a part that `lent` holds.
    public let contents: [UInt8]
    /// A part's bytes where the previous build's file is mapped, when they are that file's at
    /// the same offset (`PiecewiseFile`): written from there, not copied into a buffer first.
    let lent: Lent?
    public let piece: Piece
    /// A part whose bytes are those the previous build's file holds at the same offset, copied
    /// from it: what the output holds there, so nobody need read them back to compare.
    let copiesPrevious: Bool

    /// Where in the file its bytes go, and whether they end it: a whole file's at the start.
    var placement: (offset: Int, isLast: Bool) {
        switch piece {
        case .whole: (0, true)
        case let .part(offset, isLast): (offset, isLast)
        }
    }

    /// Written over a file the spare keeps rather than into a new one (`OutputWriter.stage`):
    /// a file in parts, or of a megabyte or more — the downloads, the snapshot, the search index.
    var isLarge: Bool { piece != .whole || count >= 1 << 20 }

    public init(path: String, contents: [UInt8], piece: Piece = .whole) {
        self.init(path: path, contents: contents, piece: piece, copiesPrevious: false)
    }

    init(path: String, contents: [UInt8], piece: Piece, copiesPrevious: Bool) {
        self.path = path
        self.contents = contents
        self.piece = piece
        self.copiesPrevious = copiesPrevious
        lent = nil
    }

    /// A part of the previous build's bytes, at the offset they have there.
    init(path: String, lent: Lent, piece: Piece, copiesPrevious: Bool) {
        (self.path, self.contents, self.piece, self.copiesPrevious, self.lent) = (path, [], piece, copiesPrevious, lent)
    }

    /// How many bytes it holds.
    var count: Int { lent?.range.count ?? contents.count }

    /// `body` with its bytes, wherever they are.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let lent { return try body(UnsafeRawBufferPointer(rebasing: lent.file.bytes[lent.range])) }
        return try contents.withUnsafeBytes(body)
    }

    /// Bytes at `range` of a mapped file, which the part keeps mapped while it is written.
    struct Lent: Sendable, Equatable {
        let file: MappedFile
        let range: Range<Int>

        static func == (first: Lent, second: Lent) -> Bool {
            first.file === second.file && first.range == second.range
        }
    }
}
