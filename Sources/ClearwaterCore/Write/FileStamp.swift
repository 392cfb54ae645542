import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `stat` says about a file: enough to tell that nobody replaced or edited it since it was
/// written, as git's index and rsync do, without reading it.
struct FileStamp: Equatable, Sendable {
    let size: Int
    let modifiedNanoseconds: Int
    let inode: UInt64

    init(size: Int, modifiedNanoseconds: Int, inode: UInt64) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.inode = inode
    }

    /// `nil` when there is no regular file at the path.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// `nil` when there is no regular file at `path` below `folder`.
    init?(path: String, in folder: OpenFile) {
        var info = stat()
        guard fstatat(folder.descriptor.rawValue, path, &info, 0) == 0 else { return nil }
        self.init(info)
    }

    /// Of a file open at `descriptor`: no path to look up.
    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    private init?(_ info: stat) {
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int(info.st_size)
        #if os(Linux)
        modifiedNanoseconds = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        #else
        modifiedNanoseconds = Int(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int(info.st_mtimespec.tv_nsec)
        #endif
        inode = UInt64(info.st_ino)
    }
}

extension FileStamp: CustomStringConvertible {
    /// This program's executable: a new Clearwater may read and write everything differently,
    /// so what one build keeps for the next is tied to it. `nil` where it cannot be found.
    static let executable: FileStamp? = Bundle.main.executableURL.flatMap { FileStamp(path: $0.path) }

    var description: String { "\(size) \(modifiedNanoseconds) \(inode)" }
}
