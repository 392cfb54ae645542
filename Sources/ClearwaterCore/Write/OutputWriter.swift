import CLinux
import Foundation

/// Puts a build into the output folder without ever exposing a half-written file.
///
/// A full build is written beside the output folder and swapped in with one atomic rename, so
/// readers and a killed build only ever see the old site or the new one. An incremental build
/// writes its few changed files beside the output too, then renames each into place: files
/// it did not change keep their bytes, inode and modification time. Files are staged as they
/// are rendered, so a build never holds the whole site in memory.
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
    func stage(_ file: OutputFile) throws {
        let url = staging.appendingPathComponent(file.path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try file.contents.write(to: url)
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

    /// Moves the staged files over their old versions and deletes `removed`, touching nothing else.
    func moveStaged(_ paths: [String], removing removed: Set<String>) throws {
        let fileManager = FileManager.default
        defer { discardStaging() }
        var folders = FolderMaker()
        for path in paths {
            let target = output.appendingPathComponent(path)
            try folders.makeFolder(for: target)
            guard rename(staging.appendingPathComponent(path).path, target.path) == 0 else {
                throw Failure(description: "cannot write \(target.path): \(String(cString: strerror(errno)))")
            }
        }
        for path in removed.sorted(by: >) {
            let target = output.appendingPathComponent(path)
            try? fileManager.removeItem(at: target)
            removeEmptyFolders(above: target)
        }
    }

    /// The file's bytes are already in the output folder.
    func holds(_ file: OutputFile) -> Bool {
        let path = output.appendingPathComponent(file.path).path
        guard FileStamp(path: path)?.size == file.contents.count else { return false }
        return FileManager.default.contents(atPath: path) == file.contents
    }

    /// The stamp of a file as it is now in the output folder.
    func stamp(of path: String) throws -> FileStamp {
        guard let stamp = FileStamp(path: output.appendingPathComponent(path).path) else {
            throw Failure(description: "\(output.appendingPathComponent(path).path) vanished right after it was written")
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

    /// A page that is gone leaves no empty folder behind, as a full build would not.
    private func removeEmptyFolders(above file: URL) {
        var folder = file.deletingLastPathComponent().standardizedFileURL
        while folder.path.hasPrefix(output.path + "/"), (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: folder)
            folder = folder.deletingLastPathComponent().standardizedFileURL
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
