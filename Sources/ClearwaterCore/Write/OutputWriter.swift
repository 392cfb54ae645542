import CAtomicSwap
import Foundation

/// Writes a whole site beside the output folder, then swaps it in with one atomic rename,
/// so readers and a killed build only ever see the old site or the new one.
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

    public func write(_ files: [OutputFile]) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        removeLeftovers()
        let staging = parent.appendingPathComponent(stagingPrefix + "new-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
            try writeFiles(files, into: staging)
            try swapIn(staging)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    /// Staging folders of builds that were killed before they could clean up.
    private func removeLeftovers() {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(stagingPrefix) {
            try? fileManager.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    private func writeFiles(_ files: [OutputFile], into folder: URL) throws {
        let fileManager = FileManager.default
        var made = Set<String>()
        for file in files {
            let url = folder.appendingPathComponent(file.path)
            let directory = url.deletingLastPathComponent().path
            if made.insert(directory).inserted {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            try file.contents.write(to: url)
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
