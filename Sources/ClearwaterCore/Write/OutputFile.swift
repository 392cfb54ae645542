import Foundation

/// One file of the built site, by its path inside the output folder.
public struct OutputFile: Sendable, Equatable {
    public let path: String
    public let contents: Data
    /// The digest of what the file was made from, when `RouteInputs` knows it.
    let inputs: String?

    public init(path: String, contents: Data) {
        self.init(path: path, contents: contents, inputs: nil)
    }

    init(path: String, contents: Data, inputs: String?) {
        self.path = path
        self.contents = contents
        self.inputs = inputs
    }
}
