import Foundation

/// What the file system under a folder does that the writer adapts to, read from Linux's own
/// listings rather than guessed from the file system's name.
enum FileSystemTraits {
    /// Whether making a file there skips the inodes freed in the last minutes: ext4 without a
    /// journal does (`recently_deleted` in the kernel's `fs/ext4/ialloc.c`), checking each freed
    /// one in turn, so spreading a site's folders over block groups pays there and only costs
    /// elsewhere. The folder's device comes from `/sys/dev/block`, the devices ext4 has mounted
    /// from `/sys/fs/ext4`, and the journals from `/proc/fs/jbd2` (`vda-8` for `vda`).
    static func skipsFreshlyFreedInodes(at folder: String) -> Bool {
        var path = folder
        var info = stat()
        // The output's folder may not exist yet: its nearest existing ancestor is on the same device.
        while stat(path, &info) != 0 {
            guard path != "/", !path.isEmpty else { return false }
            path = (path as NSString).deletingLastPathComponent
        }
        // Linux's encoding of a device number (`gnu_dev_major` and `gnu_dev_minor` are macros Swift cannot import).
        let device = UInt64(info.st_dev)
        let major = UInt32(truncatingIfNeeded: device >> 8) & 0xfff | UInt32(truncatingIfNeeded: device >> 32) & ~0xfff
        let minor = UInt32(truncatingIfNeeded: device) & 0xff | UInt32(truncatingIfNeeded: device >> 12) & ~0xff
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/sys/dev/block/\(major):\(minor)") else { return false }
        let name = (link as NSString).lastPathComponent
        let journals = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/fs/jbd2")) ?? []
        return FileManager.default.fileExists(atPath: "/sys/fs/ext4/" + name) && !journals.contains { $0.hasPrefix(name + "-") }
    }
}
