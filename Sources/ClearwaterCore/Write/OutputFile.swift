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
    /// `Data` copied every byte a build wrote once more.
    public let contents: [UInt8]
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
    var isLarge: Bool { piece != .whole || contents.count >= 1 << 20 }

    public init(path: String, contents: [UInt8], piece: Piece = .whole) {
        self.init(path: path, contents: contents, piece: piece, copiesPrevious: false)
    }

    init(path: String, contents: [UInt8], piece: Piece, copiesPrevious: Bool) {
        self.path = path
        self.contents = contents
        self.piece = piece
        self.copiesPrevious = copiesPrevious
    }
}
