import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts the few files a rebuild changed straight into the output folder, each with one atomic
/// exchange or rename, under an undo journal: a failure part-way, or a build killed part-way and
/// the next build that finds its journal, puts every file back as it was.
///
/// A swapped-in tree needs a folder and a link for every file the rebuild kept: 22,000 of each
/// at province scale, more than a second, to publish sixteen changed files. Moved one by one,
/// the files of a rebuild reach readers a few microseconds apart instead of in one exchange.
///
/// The journal (`.public.clearwater.undo`) holds a plan, written whole before anything moves,
/// and a hard link to each file the update replaces or removes, made before it goes. The update
/// is done once the build's new manifest is in place: the plan names the manifest it replaces,
/// and a journal found beside that manifest is undone.
struct InPlaceUpdate {
    enum Change: Equatable {
        /// A file the output holds, replaced by the staged file at the same path.
        case replace(String)
        /// A staged file for a path the output does not hold yet.
        case add(String)
        /// A file the output holds and the new site does not publish.
        case remove(String)
    }

    let output: String
    let journal: String
    /// The manifest whose replacement completes an update.
    let manifest: String

    init(output: URL) {
        let output = output.standardizedFileURL
        self.output = output.path
        journal = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.undo").path
        manifest = BuildManifest.location(of: output).path
    }

    private var plan: String { journal + "/plan" }
    private static let format = "clearwater-undo 1"

    /// Moves the staged files at `changes` from `staging` into the output and removes the
    /// output's files the new site lacks; on failure puts everything back and throws.
    /// `finish()` once the new manifest is in place, or `undo()` if it cannot be.
    ///
    /// - Parameter keepingReplaced: paths whose replaced file stays in `staging`, for the next
    ///   build to write over (`OutputWriter.stage`) rather than fill new memory.
    func apply(_ changes: [Change], from staging: String, keepingReplaced: Set<String> = []) throws {
        try? FileManager.default.removeItem(atPath: journal)
        do {
            try writePlan(changes)
            // Every undo link first: the output changes only in the renames that follow, back to back.
            for (index, change) in changes.enumerated() {
                if case let .replace(path) = change, link(output + "/" + path, undoPath(index)) != 0 {
                    throw failure("cannot keep \(output)/\(path) in \(journal)")
                }
            }
            for (index, change) in changes.enumerated() {
                switch change {
                case let .replace(path):
                    try replace(output + "/" + path, with: staging + "/" + path, keepingOld: keepingReplaced.contains(path))
                case let .add(path):
                    guard makeFolders(of: path), rename(staging + "/" + path, output + "/" + path) == 0 else { throw failure("cannot move \(path) into \(output)") }
                case let .remove(path):
                    guard rename(output + "/" + path, undoPath(index)) == 0 else { throw failure("cannot remove \(output)/\(path)") }
                    removeEmptyFolders(of: path)
                }
            }
        } catch {
            undo()
            throw error
        }
    }

    /// Exchanged rather than renamed over: ext4 writes out a file renamed over another at once
    /// (its `auto_da_alloc` guard against empty files after a crash), which took up to forty
    /// milliseconds per page. The old file, which the journal links, leaves the staging folder
    /// unless it is to be kept there.
    private func replace(_ target: String, with staged: String, keepingOld: Bool) throws {
        if clearwater_exchange_paths(staged, target) == 0 {
            if !keepingOld { unlink(staged) }
        } else if errno == ENOSYS || errno == EINVAL {
            guard rename(staged, target) == 0 else { throw failure("cannot move \(staged) to \(target)") }
        } else {
            throw failure("cannot move \(staged) to \(target)")
        }
    }

    /// The update is complete: its journal, and with it the replaced files, go.
    func finish() {
        try? FileManager.default.removeItem(atPath: journal)
    }

    /// Puts back what the journal's plan changed, newest first, and removes the journal. Each
    /// step checks what is there, so it serves an update stopped anywhere: a file not yet
    /// replaced has no undo link, or one to the very inode still in place.
    func undo() {
        if let changes = readPlan()?.changes {
            for (index, change) in changes.enumerated().reversed() {
                switch change {
                case let .replace(path):
                    if FileManager.default.fileExists(atPath: undoPath(index)) { rename(undoPath(index), output + "/" + path) }
                case let .add(path):
                    if unlink(output + "/" + path) == 0 { removeEmptyFolders(of: path) }
                case let .remove(path):
                    if FileManager.default.fileExists(atPath: undoPath(index)), makeFolders(of: path) { rename(undoPath(index), output + "/" + path) }
                }
            }
        }
        finish()
    }

    /// Settles the journal a killed build left, before anything reads the output or its
    /// manifest: undone unless the manifest its plan names was replaced, which completes it.
    func recover() {
        guard FileManager.default.fileExists(atPath: journal) else { return }
        if let planned = readPlan()?.manifest, planned == FileStamp(path: manifest)?.inode {
            undo()
        } else {
            finish()
        }
    }

    private func undoPath(_ index: Int) -> String { journal + "/\(index)" }

    /// The format line, the inode of the manifest in place, then one `KIND PATH` per change,
    /// each ended by a zero byte, which no path can hold. Written under another name and
    /// renamed: a journal without a plan is one whose update never started.
    private func writePlan(_ changes: [Change]) throws {
        guard mkdir(journal, 0o755) == 0 else { throw failure("cannot make \(journal)") }
        var text = Array("\(Self.format)\n\(FileStamp(path: manifest)?.inode ?? 0)\n".utf8)
        for change in changes {
            let (kind, path) = switch change {
            case let .replace(path): ("R", path)
            case let .add(path): ("A", path)
            case let .remove(path): ("D", path)
            }
            text += Array(kind.utf8) + Array(path.utf8) + [0]
        }
        do {
            try Data(text).write(to: URL(fileURLWithPath: plan + ".new"))
        } catch {
            throw OutputWriter.Failure(description: "cannot write \(plan).new: \(OutputWriter.reason(error))")
        }
        guard rename(plan + ".new", plan) == 0 else { throw failure("cannot write \(plan)") }
    }

    /// The inode of the manifest the update replaces, and its changes; `nil` without a whole plan.
    private func readPlan() -> (manifest: UInt64, changes: [Change])? {
        guard let data = FileManager.default.contents(atPath: plan) else { return nil }
        let lines = data.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, String(decoding: lines[0], as: UTF8.self) == Self.format,
              let manifest = UInt64(String(decoding: lines[1], as: UTF8.self)) else { return nil }
        let changes = lines[2].split(separator: 0).compactMap { record -> Change? in
            let path = String(decoding: record.dropFirst(), as: UTF8.self)
            switch record.first {
            case UInt8(ascii: "R"): return .replace(path)
            case UInt8(ascii: "A"): return .add(path)
            case UInt8(ascii: "D"): return .remove(path)
            default: return nil
            }
        }
        return (manifest, changes)
    }

    /// `mkdir -p` below the output for a file's folder.
    private func makeFolders(of path: String) -> Bool {
        var missing: [String] = []
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty, !TreeListing.isFolder(output + "/" + folder) {
            missing.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        return missing.reversed().allSatisfy { mkdir(output + "/" + $0, 0o755) == 0 }
    }

    /// Removes a removed file's folders that it leaves empty, deepest first.
    private func removeEmptyFolders(of path: String) {
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty, rmdir(output + "/" + folder) == 0 {
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    /// Whether a staged file for `path` can be moved in: nothing is there, and the first of
    /// its folders that exists is a folder, not a file.
    func canAdd(_ path: String) -> Bool {
        var info = stat()
        guard lstat(output + "/" + path, &info) != 0, errno == ENOENT else { return false }
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty {
            if lstat(output + "/" + folder, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return true
    }

    private func failure(_ message: String) -> OutputWriter.Failure {
        OutputWriter.Failure(description: "\(message): \(String(cString: strerror(errno)))")
    }
}
