import Foundation

/// The files and folders directly in a folder, by `readdir`.
///
/// FileManager's enumerators took a second and a half to list a province's 30,000 output files
/// and folders, and listing the Markdown pages spent most of its time rebuilding each relative
/// path from the one before. A symbolic link counts as a file and is never followed, as the
/// enumerators do.
enum FolderEntries {
    /// The paths, relative to `root`, of what the folder at `relative` below it holds; none
    /// when it cannot be read.
    static func of(_ relative: String, in root: String) -> (files: [String], folders: [String]) {
        var files: [String] = [], folders: [String] = []
        guard let stream = opendir(relative.isEmpty ? root : root + "/" + relative) else { return ([], []) }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != ".", name != ".." else { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            let isFolder = entry.pointee.d_type == UInt8(DT_UNKNOWN) ? TreeListing.isFolder(root + "/" + path) : entry.pointee.d_type == UInt8(DT_DIR)
            if isFolder { folders.append(path) } else { files.append(path) }
        }
        return (files, folders)
    }
}
