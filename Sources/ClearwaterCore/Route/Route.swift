/// What a URL shows: one case per row of the contract's URL table.
public enum PageKind: Hashable, Sendable {
    case languageChooser
    case home
    case enterprises
    case enterprise(id: String)
    case pollutants
    case pollutant(code: String)
    case blacklist
    case targets
    case openData
    case updates
    case search
    case district(key: String)
    case markdown(key: String)
    case notFound
}

/// One HTML page of the output: its kind, its language and where it is written.
public struct Route: Hashable, Sendable {
    public let kind: PageKind
    /// `nil` for the pages that serve every language (the chooser and 404).
    public let language: String?
    /// The site path without a leading `/`: `en/enterprises/zinc-smelter/`, or `404.html`.
    public let path: String

    /// The file inside the output folder.
    public var outputPath: String { path.hasSuffix("/") || path.isEmpty ? path + "index.html" : path }

    /// How many folders deep the page is, so its links can climb back to the root. Counted in
    /// bytes, since every link on a page asks: the folder names between the slashes, less the
    /// file name when the path ends in one.
    public var depth: Int {
        var names = 0
        var previous = UInt8(ascii: "/")
        for byte in path.utf8 {
            if previous == UInt8(ascii: "/"), byte != UInt8(ascii: "/") { names += 1 }
            previous = byte
        }
        return names - (path.hasSuffix("/") || path.isEmpty ? 0 : 1)
    }
}
