import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells when anything below some folders changed, using Linux inotify: the kernel reports each
/// change, so a province-sized content folder costs nothing between edits, unlike polling
/// every file's modification time.
///
/// Changes are coalesced: however many arrive while a rebuild runs, the stream holds one.
final class DirectoryWatcher: Sendable {
    let changes: AsyncStream<Void>
    private let descriptor: Int32

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private static let mask: UInt32 = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF)

    init(folders: [URL]) throws {
        let descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { throw Failure(description: "cannot watch for changes: inotify: \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        var paths: [Int32: String] = [:]
        for folder in folders {
            try Self.watchTree(folder.path, descriptor: descriptor, paths: &paths)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        changes = stream
        let watched = paths
        Thread.detachNewThread {
            Self.readEvents(descriptor: descriptor, paths: watched, continuation: continuation)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Watches a folder and every folder inside it; inotify itself is not recursive.
    private static func watchTree(_ root: String, descriptor: Int32, paths: inout [Int32: String]) throws {
        let watch = inotify_add_watch(descriptor, root, mask)
        guard watch >= 0 else {
            throw Failure(description: "cannot watch \(root): \(String(cString: strerror(errno)))\(errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "")")
        }
        paths[watch] = root
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for name in names.sorted() {
            let path = root + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                try watchTree(path, descriptor: descriptor, paths: &paths)
            }
        }
    }

    /// Runs on its own thread: `read` blocks until the kernel has events.
    private static func readEvents(descriptor: Int32, paths: [Int32: String], continuation: AsyncStream<Void>.Continuation) {
        var paths = paths
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
            while offset + 16 <= count {
                let (watch, mask, length) = buffer.withUnsafeBytes { bytes in
                    (bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, let parent = paths[watch] {
                    try? watchTree(parent + "/" + String(decoding: nameBytes, as: UTF8.self), descriptor: descriptor, paths: &paths)
                }
                offset += 16 + length
            }
            continuation.yield()
        }
        continuation.finish()
    }
}
