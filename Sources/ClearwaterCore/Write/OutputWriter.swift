import CLinux
import Foundation
import SystemPackage

/// Puts a build into the output folder without ever exposing a half-written file.
///
/// Every build is written into a staging folder beside the output folder and swapped in with
/// one atomic exchange, so readers, a killed build and a full disk only ever leave the old
/// site or the new one; a rebuild that changed few files moves them in one by one instead,
/// each whole, under an undo journal (`InPlaceUpdate`). Files are staged as they are rendered,
/// so a build never holds the whole site in memory.
///
/// The tree a swap takes out is kept beside the output as the *spare* and becomes the next
/// build's staging folder: its folders exist already and, after an incremental build, most of
/// its files are hard links to the very inodes the output holds. Completing it costs at most a
/// `stat` per unchanged file instead of a `mkdir` per folder and a `link` per file — and nothing is
/// deleted after the swap. The spare is never trusted blindly: what it holds is either read from
/// its folders or known from its manifest while `TreeListing` finds it unchanged, and files the
/// new site lacks are removed.
public struct OutputWriter: Sendable {
    public let output: URL

    private let parent: URL
    /// Every folder of ours beside the output starts with it: `.public.clearwater-`.
    private let stagingPrefix: String
    private let staging: URL
    private let spare: URL
    private let stagingRoot: String
    private let outputRoot: String
    /// Makes the folders where ext4 would otherwise pack them (`FolderSpreader`).
    private let spreader: FolderSpreader?

    public init(output: URL) {
        self.output = output.standardizedFileURL
        parent = self.output.deletingLastPathComponent()
        stagingPrefix = ".\(self.output.lastPathComponent).clearwater-"
        staging = parent.appendingPathComponent(stagingPrefix + "new-\(ProcessInfo.processInfo.processIdentifier)")
        spare = parent.appendingPathComponent(stagingPrefix + "spare")
        stagingRoot = staging.path
        outputRoot = self.output.path
        // Elsewhere than on ext4 without a journal, spreading folders only costs.
        spreader = FileSystemTraits.skipsFreshlyFreedInodes(at: parent.path)
            ? FolderSpreader(root: parent.appendingPathComponent(stagingPrefix + "bins-\(ProcessInfo.processInfo.processIdentifier)").path) : nil
    }

    /// Paths by string concatenation: `URL.appendingPathComponent` per file was measurable
    /// over the tens of thousands of files a build checks.
    func inStaging(_ path: String) -> String { stagingRoot + "/" + path }
    private func inOutput(_ path: String) -> String { outputRoot + "/" + path }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Where a build stages its files.
    struct Staging: Sendable {
        /// The spare tree, rather than a new folder.
        let isSpare: Bool
        /// What the spare holds, when its manifest still says so.
        let listing: TreeListing?

        /// With the files at `paths` staged since, so no longer the inodes the listing says.
        func replacing(_ paths: Set<String>) -> Staging {
            Staging(isSpare: isSpare, listing: listing?.replacing(paths))
        }
    }

    /// What the spare holds, when the manifest of the tree the last swap took out still says so.
    /// Checked before this build stages anything in the spare, which changes its folders; taking
    /// the spare as the staging folder renames its root and changes nothing inside.
    func spareListing(manifest: BuildManifest?) -> TreeListing? {
        manifest.flatMap { TreeListing($0, of: spare.path) }
    }

    /// Starts a build's staging folder beside the output — the spare tree when there is one —
    /// and removes the staging folders of killed builds.
    ///
    /// - Parameter spareListing: `spareListing(manifest:)`.
    func beginStaging(spareListing: TreeListing?) throws -> Staging {
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        removeLeftovers()
        spreader?.start()
        if rename(spare.path, staging.path) == 0 {
            // The tree the listing was checked on, unless the spare was replaced since.
            return Staging(isSpare: true, listing: spareListing.flatMap { $0.root == stagingRootInode() ? $0 : nil })
        }
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return Staging(isSpare: false, listing: nil)
    }

    /// The inode of the staging folder, which the swap keeps: the manifest names its tree by it.
    func stagingRootInode() -> UInt64? {
        TreeListing.folderModified(stagingRoot)?.inode
    }

    /// The output folder's inode, for a build that keeps the output as it is.
    func outputRootInode() -> UInt64? {
        TreeListing.folderModified(outputRoot)?.inode
    }

    /// Writes one file into the staging folder. Safe to call from several tasks at once: each
    /// call makes its own folders, so rendered pages go to disk as they are made instead of
    /// all being held in memory.
    ///
    /// Plain `open`/`write` rather than `Data.write(to:)`, which calls `fsync` on every file:
    /// twenty thousand forced flushes of a staging folder that a killed build discards anyway.
    /// The atomic swap is what keeps readers safe, and it never exposes a file before it is whole.
    ///
    /// Returns the file's stamp as this write left it, taken from the open file: the atomic
    /// exchange keeps size, modification time and inode, and twenty thousand `stat`s by path
    /// after the last page was the end of every full build, on one core.
    func stage(_ file: OutputFile) throws -> FileStamp {
        let path = inStaging(file.path)
        let (offset, isLast) = file.placement
        let failure = { Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        var descriptor: Int32
        if offset > 0 {
            // A later part goes into the file its first part opened, at its place.
            descriptor = open(path, O_WRONLY | O_CLOEXEC)
        } else {
            descriptor = file.isLarge ? openToOverwrite(path) : -1
            if descriptor < 0 { descriptor = try openNewFile(path) }
        }
        guard descriptor >= 0 else { throw failure() }
        defer { close(descriptor) }
        try file.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            // Lent bytes of a mapped file mapped in one call: the kernel's copy out of pages it
            // had to fault in went back through the file's write path a page at a time.
            if file.lent != nil { clearwater_prefault_for_reading(buffer.baseAddress, buffer.count) }
            var written = 0
            while written < buffer.count {
                let count = pwrite(descriptor, buffer.baseAddress! + written, buffer.count - written, off_t(offset + written))
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure()
                }
                written += count
            }
        }
        // A file written over may have been longer.
        if isLast, file.isLarge, ftruncate(descriptor, off_t(offset + file.count)) != 0 { throw failure() }
        guard let stamp = FileStamp(descriptor: descriptor) else { throw Failure(description: "cannot read back \(path): \(String(cString: strerror(errno)))") }
        return stamp
    }

    /// A new file at `path`: a spare's file there may be a hard link to the output's, and must be
    /// replaced, never written through. One call when the slot is free, as in a fresh folder.
    private func openNewFile(_ path: String) throws -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
        var descriptor = open(path, flags, 0o644)
        if descriptor < 0, errno == EEXIST {
            try clearSlot(path)
            descriptor = open(path, flags, 0o644)
        }
        if descriptor < 0, errno == ENOENT || errno == ENOTDIR {
            try makeParent(of: path)
            descriptor = open(path, flags, 0o644)
        }
        return descriptor
    }

    /// The file the spare keeps at this path — one an earlier update took out of the output
    /// (`InPlaceUpdate.apply`), or a full build's copy (`keepCopyInSpare`) — opened to be written
    /// over: its pages are in memory already, where a new file's come from memory this VM has
    /// handed back to its host, several times slower to fill — a province's 220 megabytes of
    /// downloads at every row rebuild (docs/performance.md, twenty-first session). Only a file
    /// nothing else can reach: a regular file of ours, with the mode a new one gets (under
    /// another umask nothing is written over), whose one name is this staging path (no hard link
    /// into the output), that no process holds open (a web server may still be sending it from
    /// when it was published). `-1` otherwise.
    private func openToOverwrite(_ path: String) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return -1 }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o7777 == 0o644, info.st_nlink == 1,
           clearwater_is_open_only_here(descriptor) == 1 {
            return descriptor
        }
        close(descriptor)
        return -1
    }

    /// A copy of a large file that a build into a new folder staged, kept in the spare: such a
    /// build leaves no spare, so the first rebuild after it would fill new memory for every large
    /// file it writes (`openToOverwrite`); the copy moves that cost into the full build.
    /// Only a speed-up: a copy that cannot be made is left out.
    func keepCopyInSpare(_ path: String) {
        let target = spare.path + "/" + path
        try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        keepSpareCopy(of: inStaging(path), at: target)
    }

    /// The system's words for why a write failed ("No space left on device"), not Foundation's wrapper.
    static func reason(_ error: Error) -> String {
        if let errno = error as? Errno { return String(cString: strerror(errno.rawValue)) }
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
        spreader?.finish()
        try? FileManager.default.removeItem(at: staging)
    }

    /// What the output holds, when its manifest still says so.
    func outputListing(manifest: BuildManifest) -> TreeListing? {
        TreeListing(manifest, of: outputRoot)
    }

    /// Whether the output folder holds exactly the files this manifest lists and the folders
    /// they are in, nothing else: then a build may change the output where it is. Read from
    /// its folders, for when its listing (`outputListing(manifest:)`) cannot say.
    func outputHoldsExactly(theFilesOf manifest: BuildManifest) -> Bool {
        let listed = Set(manifest.entries.keys)
        let folders = TreeListing.folders(holding: listed)
        var (files, found) = (0, 0)
        var pending = [""]
        while let folder = pending.popLast() {
            let (inside, subfolders) = FolderEntries.of(folder, in: outputRoot)
            guard inside.allSatisfy(listed.contains), subfolders.allSatisfy(folders.contains) else { return false }
            files += inside.count
            found += subfolders.count
            pending += subfolders
        }
        return files == listed.count && found == folders.count
    }

    /// Moves the staged files of a build that changed few into the output where they are,
    /// and removes the files the new site lacks (`InPlaceUpdate`); on failure the output is
    /// as it was. The returned update is to be finished once the new manifest is in place.
    /// The files replaced at `recycling` stay in the staging folder, the next spare, for the
    /// next build to write over (`stage`).
    func updateInPlace(_ changes: [InPlaceUpdate.Change], recycling: Set<String>) throws -> InPlaceUpdate {
        let update = InPlaceUpdate(output: output)
        if !changes.isEmpty { try update.apply(changes, from: stagingRoot, keepingReplaced: recycling) }
        return update
    }

    /// Whether a staged file can be moved into the output at a path the output does not hold.
    func canAddInPlace(_ path: String) -> Bool {
        InPlaceUpdate(output: output).canAdd(path)
    }

    /// Settles an update in place that a killed build left (`InPlaceUpdate.recover`).
    func recoverInterruptedUpdate() {
        InPlaceUpdate(output: output).recover()
    }

    /// Removes the stores beside the output that a killed build was writing: each is written
    /// under its name and `.new`, then renamed, and a store the next builds need not write
    /// again (the search rows after an unchanged index) would leave its `.new` there for good.
    /// Only under the output's lock, before this build writes a store of its own.
    func removeUnfinishedStores() {
        let prefix = ".\(output.lastPathComponent).clearwater."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) && name.hasSuffix(".new") {
            unlink(parent.appendingPathComponent(name).path)
        }
    }

    /// Gives up the staging folder of a build that changed the output where it is: it becomes
    /// the spare (its unchecked state is what a spare always is), whose folders the next such
    /// build stages in without making them again.
    func giveUpStaging() {
        spreader?.finish()
        keepAsSpare(staging)
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

    /// Completes the staging folder of an incremental build so that it holds exactly the new
    /// site: each unchanged file becomes a hard link to the output's (nothing to do where the
    /// spare already links that inode), and files the new site does not publish are removed.
    /// Unchanged files keep their bytes, inode and modification time.
    ///
    /// - Parameter kept: each unchanged file with the inode the output holds it in, as the
    ///   manifest recorded and this build found it.
    func complete(keeping kept: [(path: String, inode: UInt64)], publishing published: Set<String>, in staged: Staging) throws {
        // The spare's extra files go while the kept ones are linked — never the same path — and
        // its emptied folders only once both are done, so a folder a link needs stays.
        let (linking, folders) = Parallel.both({ Result { try linkAll(kept, in: staged) } }, {
            guard staged.isSpare else { return [String]() }
            return staged.listing.map { removeUnpublishedFiles(of: $0, keeping: published) } ?? removeUnpublishedFiles(keeping: published)
        })
        spreader?.finish()
        do {
            try linking.get()
        } catch {
            discardStaging()
            throw error
        }
        // Deepest first (a folder comes after everything inside it); rmdir leaves every folder
        // that still holds something, such as one a kept file was just linked into.
        for folder in folders {
            rmdir(inStaging(folder))
        }
    }

    /// Half the files on each core, in path order so that each half makes its own folders:
    /// without a spare, a province's twenty thousand `mkdir`s and `link`s each took a
    /// second on one core.
    private func linkAll(_ kept: [(path: String, inode: UInt64)], in staged: Staging) throws {
        // Where the spare's listing says it links the inode already, there is nothing to do.
        let toLink = staged.listing.map { listing in kept.filter { listing.inodes[$0.path] != $0.inode } } ?? kept
        let sorted = toLink.sorted { $0.path < $1.path }
        let half = sorted.count / 2
        let lookUp = staged.isSpare && staged.listing == nil
        let (first, second) = Parallel.both({ [self] in Result { try link(sorted[..<half], lookingUp: lookUp) } },
                                            { Result { try link(sorted[half...], lookingUp: lookUp) } })
        try first.get()
        try second.get()
    }

    /// - Parameter lookingUp: whether to look up what a spare holds at each path first.
    private func link(_ kept: ArraySlice<(path: String, inode: UInt64)>, lookingUp: Bool) throws {
        for (path, inode) in kept {
            let source = inOutput(path)
            let target = inStaging(path)
            // Where a spare already links the inode there is nothing to do; a fresh staging
            // folder holds only this build's staged files, so nothing is looked up first.
            if lookingUp, FileStamp(path: target)?.inode == inode { continue }
            var linked = Foundation.link(source, target) == 0
            if !linked, errno == EEXIST {
                try clearSlot(target)
                linked = Foundation.link(source, target) == 0
            }
            if !linked, errno == ENOENT || errno == ENOTDIR {
                try makeParent(of: target)
                linked = Foundation.link(source, target) == 0
            }
            guard linked else { throw Failure(description: "cannot link \(path) into \(staging.path): \(String(cString: strerror(errno)))") }
        }
    }

    /// Removes the files a reused spare holds beyond the new site, half of the top folders (a
    /// language each, at least) on each core, and returns, deepest first, the folders that may
    /// now be empty: those that lost a file or a folder that may be, and those that were.
    /// An `rmdir` for every one of a province's ten thousand folders was 2 % of a rebuild.
    private func removeUnpublishedFiles(keeping published: Set<String>) -> [String] {
        let (files, topFolders) = FolderEntries.of("", in: stagingRoot)
        for file in files where !published.contains(file) { unlink(inStaging(file)) }
        let half = topFolders.count / 2
        let (first, second) = Parallel.both({ removeUnpublishedFiles(in: topFolders[..<half], keeping: published) },
                                            { removeUnpublishedFiles(in: topFolders[half...], keeping: published) })
        return first + second
    }

    /// The same, for a spare whose files its listing gives: only the files the new site lacks
    /// are visited, and the folders they are in.
    private func removeUnpublishedFiles(of listing: TreeListing, keeping published: Set<String>) -> [String] {
        let unpublished = listing.inodes.keys.filter { !published.contains($0) }
        for file in unpublished { unlink(inStaging(file)) }
        return TreeListing.folders(holding: unpublished).sorted { $0.utf8.count > $1.utf8.count }
    }

    private func removeUnpublishedFiles(in folders: ArraySlice<String>, keeping published: Set<String>) -> [String] {
        folders.flatMap { folder in
            let (files, subfolders) = FolderEntries.of(folder, in: stagingRoot)
            var emptied = files.isEmpty && subfolders.isEmpty
            for file in files where !published.contains(file) {
                unlink(inStaging(file))
                emptied = true
            }
            let inside = removeUnpublishedFiles(in: subfolders[...], keeping: published)
            return emptied || !inside.isEmpty ? inside + [folder] : inside
        }
    }

    /// Frees a staging path for a new file: whatever is there goes, a folder included.
    private func clearSlot(_ path: String) throws {
        if unlink(path) != 0, errno == EISDIR {
            try FileManager.default.removeItem(atPath: path)
        }
    }

    /// Makes a file's folder; a spare's file standing where a folder must go is removed first.
    private func makeParent(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        guard !makeFolder(folder) else { return }
        var blocking = folder
        while blocking.count > stagingRoot.count {
            var info = stat()
            if lstat(blocking, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
                unlink(blocking)
                break
            }
            blocking = (blocking as NSString).deletingLastPathComponent
        }
        guard makeFolder(folder) else { throw Failure(description: "cannot make the folder \(folder): \(String(cString: strerror(errno)))") }
    }

    /// `mkdir -p` with one call per missing folder, and none of FileManager's checks per level,
    /// which cost a `stat` and a `readlink` for each of a province's ten thousand page folders.
    private func makeFolder(_ folder: String) -> Bool {
        if makeOneFolder(folder) || errno == EEXIST && TreeListing.isFolder(folder) { return true }
        guard errno == ENOENT, folder.count > stagingRoot.count else { return false }
        return makeFolder((folder as NSString).deletingLastPathComponent)
            && (makeOneFolder(folder) || errno == EEXIST && TreeListing.isFolder(folder))
    }

    /// `mkdir`, through the spreader where there is one.
    private func makeOneFolder(_ folder: String) -> Bool {
        spreader?.makeFolder(folder) ?? (mkdir(folder, 0o755) == 0)
    }

    /// The file's bytes — a part's, at its place — are already in the output folder, and the
    /// file there is no longer. Compared a megabyte at a time: an open-data file runs to a
    /// hundred megabytes at province scale.
    func holds(_ file: OutputFile) -> Bool {
        let path = inOutput(file.path)
        let (start, isLast) = file.placement
        guard let size = FileStamp(path: path)?.size, isLast ? size == start + file.count : size >= start + file.count,
              let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(start))) != nil else { return false }
        var offset = 0
        while offset < file.count {
            guard let chunk = try? handle.read(upToCount: min(1 << 20, file.count - offset)), !chunk.isEmpty,
                  file.withUnsafeBytes({ expected in
                      chunk.withUnsafeBytes { found in
                          guard let expected = expected.baseAddress, let found = found.baseAddress else { return false }
                          return memcmp(expected + offset, found, chunk.count) == 0
                      }
                  }) else { return false }
            offset += chunk.count
        }
        return true
    }

    /// Staging folders of builds that were killed before they could clean up.
    private func removeLeftovers() {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(stagingPrefix) && name != spare.lastPathComponent {
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
            keepAsSpare(staging)
            return
        }
        // Filesystems without RENAME_EXCHANGE: two renames, with a window of microseconds.
        let previous = parent.appendingPathComponent(stagingPrefix + "old-\(ProcessInfo.processInfo.processIdentifier)")
        try fileManager.moveItem(at: output, to: previous)
        try fileManager.moveItem(at: staging, to: output)
        keepAsSpare(previous)
    }

    /// The tree a swap took out becomes the next build's staging folder.
    private func keepAsSpare(_ tree: URL) {
        if rename(tree.path, spare.path) != 0 {
            try? FileManager.default.removeItem(at: tree)
        }
    }
}
