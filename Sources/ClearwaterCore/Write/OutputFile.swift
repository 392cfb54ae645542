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

    public init(path: String, contents: [UInt8], piece: Piece = .whole) {
        self.path = path
        self.contents = contents
        self.piece = piece
    }
}
