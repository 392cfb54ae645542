import Foundation

/// What the last build wrote: for each output file, the digest of what it was made from (for
/// pages that have one, see `RouteInputs`) and its stamp on disk just after writing.
///
/// Kept beside the output folder (`.public.clearwater.manifest`), so it is never published.
/// One line per file, `INPUTS SIZE MTIME INODE PATH`, read with a split rather than a JSON
/// decoder: a province site has tens of thousands of lines, read on every rebuild.
struct BuildManifest: Sendable {
    static let format = "clearwater-manifest 1"

    struct Entry: Sendable, Equatable {
        let inputs: String?
        let stamp: FileStamp
    }

    var entries: [String: Entry] = [:]

    static func location(of output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.manifest")
    }

    /// `nil` when there is none, or it is from another version or damaged: the build is then full.
    static func read(for output: URL) -> BuildManifest? {
        guard let data = FileManager.default.contents(atPath: location(of: output).path),
              let text = String(data: data, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.popFirst() == Substring(format) else { return nil }
        var manifest = BuildManifest()
        for line in lines {
            let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            guard fields.count == 5, let size = Int(fields[1]), let modified = Int(fields[2]), let inode = UInt64(fields[3]) else { return nil }
            manifest.entries[String(fields[4])] = Entry(inputs: fields[0] == "-" ? nil : String(fields[0]),
                                                        stamp: FileStamp(size: size, modifiedNanoseconds: modified, inode: inode))
        }
        return manifest
    }

    /// Written to a temporary name and renamed, so a reader sees the old manifest or the new one.
    func write(for output: URL) throws {
        var text = Self.format + "\n"
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            // A path with a line break cannot be listed; leaving the manifest out makes the next build full.
            guard !path.contains("\n") else { return }
            let stamp = entry.stamp
            text += "\(entry.inputs ?? "-") \(stamp.size) \(stamp.modifiedNanoseconds) \(stamp.inode) \(path)\n"
        }
        let location = Self.location(of: output)
        let temporary = location.deletingLastPathComponent().appendingPathComponent(location.lastPathComponent + ".new")
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, location.path) == 0 else {
            throw OutputWriter.Failure(description: "cannot write \(location.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Called before the output changes: a build killed halfway leaves no manifest that could
    /// vouch for files it did not finish, so the next build is full.
    static func remove(for output: URL) throws {
        let path = location(of: output).path
        guard unlink(path) == 0 || errno == ENOENT else {
            throw OutputWriter.Failure(description: "cannot remove \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The previous build's file at `path` is still there, exactly as that build wrote it.
    func isIntact(_ path: String, in output: URL) -> Bool {
        guard let entry = entries[path] else { return false }
        return FileStamp(path: output.appendingPathComponent(path).path) == entry.stamp
    }

    /// The file can be kept without rendering: it was made from the same inputs and is intact.
    func canReuse(_ path: String, inputs: String, in output: URL) -> Bool {
        entries[path]?.inputs == inputs && isIntact(path, in: output)
    }
}
