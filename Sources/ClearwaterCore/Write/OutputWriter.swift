import CLinux
import Foundation

/// Puts a build into the output folder without ever exposing a half-written file.
///
/// Every build is written into a staging folder beside the output folder and swapped in with
/// one atomic exchange, so readers, a killed build and a full disk only ever leave the old
/// site or the new one. An incremental build stages only the files it changed and hard-links
/// the rest. Files are staged as they are rendered, so a build never holds the whole site in memory.
public struct OutputWriter: Sendable {
    public let output: URL

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private var parent: URL { output.deletingLastPathComponent() }
    private var stagingPrefix: String { ".\(output.lastPathComponent).clearwater-" }
    private var staging: URL { parent.appendingPathComponent(stagingPrefix + "new-\(ProcessInfo.processInfo.processIdentifier)") }

    /// Starts a build's staging folder beside the output, removing those of killed builds.
    func beginStaging() throws {
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        removeLeftovers()
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    /// Writes one file into the staging folder. Safe to call from several tasks at once: each
    /// call makes its own folders, so rendered pages go to disk as they are made instead of
    /// all being held in memory.
    ///
    /// Plain `open`/`write` rather than `Data.write(to:)`, which calls `fsync` on every file:
    /// twenty thousand forced flushes of a staging folder that a killed build discards anyway.
    /// The atomic swap is what keeps readers safe, and it never exposes a file before it is whole.
    func stage(_ file: OutputFile) throws {
        let path = staging.appendingPathComponent(file.path).path
        var descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0, errno == ENOENT {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard descriptor >= 0 else { throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        try file.contents.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }

    /// The system's words for why a write failed ("No space left on device"), not Foundation's wrapper.
    static func reason(_ error: Error) -> String {
        switch (error as? CocoaError)?.code {
        case .fileWriteOutOfSpace?: return String(cString: strerror(ENOSPC))
        case .fileWriteNoPermission?: return String(cString: strerror(EACCES))
        case .fileWriteVolumeReadOnly?: return String(cString: strerror(EROFS))
        default: break
        }
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }

    /// Removes the staging folder of a build that failed.
    func discardStaging() {
        try? FileManager.default.removeItem(at: staging)
    }

    /// Replaces the whole output folder with the staging folder, in one atomic exchange.
    func swapInStaging() throws {
        do {
            try swapIn(staging)
        } catch {
            discardStaging()
            throw error
        }
    }

    /// Completes the staging folder of an incremental build with hard links to the files it
    /// did not change, so it holds the whole new site while costing no copy: unchanged files
    /// keep their bytes, inode and modification time, and files no longer published are
    /// simply not linked. The swap that follows is as atomic as a full build's.
    func linkUnchanged(_ paths: [String]) throws {
        var folders = FolderMaker()
        for path in paths {
            let target = staging.appendingPathComponent(path)
            try folders.makeFolder(for: target)
            guard link(output.appendingPathComponent(path).path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                discardStaging()
                throw Failure(description: "cannot link \(path) into \(staging.path): \(reason)")
            }
        }
    }

    /// The file's bytes are already in the output folder.
    func holds(_ file: OutputFile) -> Bool {
        let path = output.appendingPathComponent(file.path).path
        guard FileStamp(path: path)?.size == file.contents.count else { return false }
        return FileManager.default.contents(atPath: path) == file.contents
    }

    /// The stamp of a staged file; the atomic exchange keeps size, modification time and inode.
    func stagedStamp(of path: String) throws -> FileStamp {
        guard let stamp = FileStamp(path: staging.appendingPathComponent(path).path) else {
            throw Failure(description: "\(staging.appendingPathComponent(path).path) vanished right after it was written")
        }
        return stamp
    }

    /// Staging folders of builds that were killed before they could clean up.
    private func removeLeftovers() {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(stagingPrefix) {
            try? fileManager.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    private func swapIn(_ staging: URL) throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: output.path, isDirectory: &isDirectory) else {
            try fileManager.moveItem(at: staging, to: output)
            return
        }
        guard isDirectory.boolValue else { throw Failure(description: "\(output.path) exists and is not a folder") }
        if clearwater_exchange_paths(staging.path, output.path) == 0 {
            try fileManager.removeItem(at: staging)
            return
        }
        // Filesystems without RENAME_EXCHANGE: two renames, with a window of microseconds.
        let previous = parent.appendingPathComponent(stagingPrefix + "old-\(ProcessInfo.processInfo.processIdentifier)")
        try fileManager.moveItem(at: output, to: previous)
        try fileManager.moveItem(at: staging, to: output)
        try? fileManager.removeItem(at: previous)
    }
}

/// Creates each file's folder once, however many files it holds.
private struct FolderMaker {
    private var made = Set<String>()

    mutating func makeFolder(for file: URL) throws {
        let folder = file.deletingLastPathComponent().path
        if made.insert(folder).inserted {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }
}
