import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Paths with every symbolic link resolved: the one way Clearwater decides whether a file
/// really lies inside a folder (content, theme, or the output the dev server serves).
public enum ResolvedPath {
    /// The real path, or `nil` when nothing is there (or a link leads nowhere).
    public static func of(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether the real path `path` lies below the real path `folder`.
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
}
