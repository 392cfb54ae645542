import Foundation

/// One file of the built site, by its path inside the output folder.
public struct OutputFile: Sendable, Equatable {
    public let path: String
    public let contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }
}
