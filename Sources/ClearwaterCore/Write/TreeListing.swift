import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a tree a build published, as that build's manifest lists them: known without
/// reading the tree's folders, which at province scale took a `readdir` of twenty thousand
/// folders, a fifth of a rebuild's time, on every build.
///
/// Trusted only while the tree's root folder is the one the manifest names and none of its
/// folders changed since the manifest was written: adding, removing or renaming anything in a
/// folder sets the folder's modification time, from the same clock that stamped the manifest.
/// A folder stamped in the very tick of the manifest counts as changed, so the worst a doubt
/// costs is the listing by `readdir` it replaces.
struct TreeListing: Sendable {
    /// Each file by its path in the tree, with the inode it held when the manifest was written.
    let inodes: [String: UInt64]
    /// The inode of the tree's root folder, which a rename keeps.
    let root: UInt64

    /// `nil` when the manifest is not of this tree, or any folder of the tree changed since.
    init?(_ manifest: BuildManifest, of root: String) {
        guard let rootInode = manifest.root, let written = manifest.written,
              let found = Self.folderModified(root), found.inode == rootInode, found.modified < written, let rootFolder = OpenFile(folderAt: root) else { return nil }
        // The folders of a province are twenty thousand `lstat`s: half on each core, each
        // looked up from the root (`BuildManifest.filesAltered`).
        let all = Array(Self.folders(holding: manifest.entries.keys))
        let half = all.count / 2
        let unchanged: @Sendable (ArraySlice<String>) -> Bool = { slice in
            slice.allSatisfy { Self.folderModified($0, in: rootFolder).map { $0.modified < written } ?? false }
        }
        let (first, second) = Parallel.both({ unchanged(all[..<half]) }, { unchanged(all[half...]) })
        guard first, second else { return nil }
        inodes = manifest.entries.mapValues(\.stamp.inode)
        self.root = rootInode
    }

    private init(inodes: [String: UInt64], root: UInt64) {
        self.inodes = inodes
        self.root = root
    }

    /// The same files, those at `paths` since replaced by files of unknown inodes: a file a
    /// build staged over the spare's is no longer the inode the manifest says.
    func replacing(_ paths: Set<String>) -> TreeListing {
        var inodes = inodes
        for path in paths where inodes[path] != nil { inodes[path] = 0 }
        return TreeListing(inodes: inodes, root: root)
    }

    /// A manifest that lists these files in the tree whose root folder is `root`, as of now.
    func manifest(root: UInt64) -> BuildManifest {
        var manifest = BuildManifest()
        manifest.root = root
        for (path, inode) in inodes { manifest.entries[path] = BuildManifest.Entry(inputs: nil, stamp: FileStamp(size: 0, modifiedNanoseconds: 0, inode: inode)) }
        return manifest
    }

    /// The folders, below the tree's root, that files at these paths are in.
    static func folders(holding paths: some Sequence<String>) -> Set<String> {
        // Sized once: grown step by step, a province's ten thousand folders were hashed again at each step.
        var folders = Set<String>(minimumCapacity: paths.underestimatedCount)
        for path in paths {
            // Slashes found among the bytes: among the characters, each step weighed grapheme breaks.
            var end = path.utf8.endIndex
            while let slash = path.utf8[..<end].lastIndex(of: UInt8(ascii: "/")) {
                guard folders.insert(String(path[..<slash])).inserted else { break }
                end = slash
            }
        }
        return folders
    }

    static func isFolder(_ path: String) -> Bool {
        folderModified(path) != nil
    }

    /// A folder's inode and modification time; `nil` when there is no folder at the path.
    static func folderModified(_ path: String) -> (inode: UInt64, modified: Int)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return folderModified(info)
    }

    /// The same for a path below `folder`.
    private static func folderModified(_ path: String, in folder: OpenFile) -> (inode: UInt64, modified: Int)? {
        var info = stat()
        guard fstatat(folder.descriptor.rawValue, path, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return folderModified(info)
    }

    private static func folderModified(_ info: stat) -> (inode: UInt64, modified: Int)? {
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return (UInt64(info.st_ino), Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
    }
}
