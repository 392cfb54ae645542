import CLinux
import Foundation

/// Makes folders spread over ext4's block groups for the price of a `rename` each.
///
/// Where ext4 runs without a journal it will not reuse an inode freed in the last minutes
/// without first checking it, one freed inode after another (`recently_deleted` in
/// `fs/ext4/ialloc.c`). A folder is made in its parent's block group, so a site's twenty
/// thousand page folders pack into a few groups; deleted and built again, each new folder and
/// file checked thousands — half of a province build. Marking every folder as the top of a
/// tree (`chattr +T`) spread them, but then ext4's Orlov allocator weighed every block group
/// of the disk for every folder made: 2.6 s of a province build's CPU (docs/performance.md,
/// tenth session). Here a folder is made in a bin and moved to its place at once: only the
/// bins are made in a marked folder, a bin per few dozen folders, and each folder — with the
/// files later made in it — stays in its bin's block group.
final class FolderSpreader: @unchecked Sendable {
    /// Beside the output, named like the staging folders, so a killed build's is removed with
    /// its staging folder by the next build.
    let root: String
    private let counting = NSLock()
    private var bins = 0
    /// Each thread fills a bin of its own: two making folders in the same bin at once waited for
    /// its lock, and the kernel spun while they did (first rebuilds at province scale took
    /// 2.4–4.3 s, against 2.4–2.8 s with a bin per thread).
    private var binOfThread: [pthread_t: (bin: Int, count: Int)] = [:]
    /// A move between folders holds the file system's rename lock, and two at once spun in the
    /// kernel waiting for it; waiting here sleeps instead.
    private let moving = NSLock()
    /// Set once, before any folder is made.
    private var started = false
    /// Few enough that the freed inodes a deleted site leaves in one block group cost little to
    /// skip; enough that the bins are a few hundred Orlov placements at province scale.
    private static let foldersPerBin = 32

    init(root: String) {
        self.root = root
    }

    /// Makes the marked folder the bins go in. Where that fails, folders are made in place.
    func start() {
        started = mkdir(root, 0o755) == 0 && clearwater_mark_top_folder(root) == 0
    }

    /// `mkdir(folder)`, with its `errno` on failure: EEXIST when something is there already.
    func makeFolder(_ folder: String) -> Bool {
        guard started else { return mkdir(folder, 0o755) == 0 }
        // A bin is one thread's alone, so its place in the bin names a folder uniquely.
        let place = counting.withLock {
            // A thread's first folder starts a bin, as a full bin does.
            var current = binOfThread[pthread_self()] ?? (bin: 0, count: Self.foldersPerBin)
            if current.count == Self.foldersPerBin {
                bins += 1
                current = (bins, 0)
            }
            current.count += 1
            binOfThread[pthread_self()] = current
            return current
        }
        let bin = root + "/" + String(place.bin)
        let fresh = bin + "/" + String(place.count)
        guard mkdir(fresh, 0o755) == 0 || errno == ENOENT && (mkdir(bin, 0o755) == 0 || errno == EEXIST) && mkdir(fresh, 0o755) == 0 else { return false }
        let (moved, reason) = moving.withLock { (clearwater_rename_unless_taken(fresh, folder) == 0, errno) }
        if moved { return true }
        rmdir(fresh)
        // A kernel or file system without RENAME_NOREPLACE (Linux before 3.15): made in place.
        if reason == EINVAL || reason == ENOSYS { return mkdir(folder, 0o755) == 0 }
        errno = reason
        return false
    }

    /// Removes the bins, empty once every folder is in its place.
    func finish() {
        try? FileManager.default.removeItem(atPath: root)
    }
}
