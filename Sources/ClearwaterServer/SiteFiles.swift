import ClearwaterCore
import Foundation

/// Finds the file a URL path names inside the output folder, and nothing outside it:
/// no `..`, no encoded tricks, no symlink that leads out.
struct SiteFiles: Sendable {
    let root: URL

    enum Lookup: Equatable {
        case file(URL)
        /// A folder asked for without its trailing slash: relative links need the slash.
        case redirect(to: String)
        case notFound
    }

    /// - Parameter path: the request path below the base path, still percent-encoded.
    func lookup(_ path: String) -> Lookup {
        guard let decoded = path.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\") else { return .notFound }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix(".") }) else { return .notFound }
        var url = segments.reduce(root) { $0.appendingPathComponent(String($1)) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return .notFound }
        if isDirectory.boolValue {
            guard path.isEmpty || path.hasSuffix("/") else { return .redirect(to: (segments.last.map(String.init) ?? "") + "/") }
            url = url.appendingPathComponent("index.html")
        }
        guard isInsideRoot(url) else { return .notFound }
        return .file(url)
    }

    /// Resolves every symlink on the way, then compares with the resolved root.
    private func isInsideRoot(_ url: URL) -> Bool {
        guard let rootPath = ResolvedPath.of(root.path), let path = ResolvedPath.of(url.path) else { return false }
        var isDirectory: ObjCBool = false
        return ResolvedPath.isInside(path, rootPath) && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Content types of what a Clearwater site holds; anything else is served as bytes.
    static func contentType(of url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "xml": "application/xml"
        case "svg": "image/svg+xml"
        case "csv": "text/csv; charset=utf-8"
        case "txt", "md": "text/plain; charset=utf-8"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "pdf": "application/pdf"
        default: "application/octet-stream"
        }
    }
}
