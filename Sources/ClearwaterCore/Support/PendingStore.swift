import CLinux
import Foundation
import SystemPackage

/// Writes a store beside the output: under its name and `.new`, filled by `write`, then put in
/// place in one exchange with the old store (`PendingStore`), so a reader finds the old store
/// or the new one. Call with the output locked.
///
/// - Parameter keepingSpareCopy: `PendingStore.keepsSpareCopy`.
func writeStore(at location: URL, keepingSpareCopy: Bool = false, _ write: (SystemPackage.FileDescriptor) throws -> Void) throws {
    try PendingStore.write(at: location, keepingSpareCopy: keepingSpareCopy, write).commit()
}

/// A store, or the build manifest, written beside the output under its name and `.new`,
/// waiting to be put in place.
///
/// The temporary name is always the same, so a killed build's is known to the next, which
/// removes it (`OutputWriter.removeUnfinishedStores`): Foundation's atomic writes left
/// `.dat.nosync…` files that no build can tell from another program's.
///
/// The file a store replaces is kept under its name and `.spare`, and the next write fills it
/// again: its pages are in memory already, where a new file's come from memory this VM has
/// handed back to its host. Copying a province's 51 MB of decoded rows into a new file took
/// 515 samples of a row rebuild's profile in a slow minute, 14 over the old file's pages, and
/// writing its 7.5 MB manifest 122, at the very end of the build (docs/performance.md,
/// thirtieth session), as the large downloads did before they were written over the spare
/// tree's (`OutputWriter.stage`).
struct PendingStore {
    let temporary: String
    let location: String
    /// A store every rebuild writes again (the decoded rows, the manifest), put in place where
    /// there was none to exchange with, also leaves a copy of itself as the spare: a build into
    /// a new folder leaves none, so the first rebuild after it filled new memory for them — in
    /// a province's profile a seventh of that rebuild's samples — where copying the two costs
    /// the full build 20 to 30 ms, as `OutputWriter.keepCopyInSpare` does for the large
    /// downloads. Only a speed-up: a copy that cannot be made is left out.
    let keepsSpareCopy: Bool

    private var spare: String { location + ".spare" }

    /// Fills the temporary file with what `write` writes, over the spare where there is one.
    static func write(at location: URL, keepingSpareCopy: Bool = false, _ write: (SystemPackage.FileDescriptor) throws -> Void) throws -> PendingStore {
        let pending = PendingStore(temporary: location.path + ".new", location: location.path, keepsSpareCopy: keepingSpareCopy)
        do {
            let reused = rename(pending.spare, pending.temporary) == 0
            let file = try SystemPackage.FileDescriptor.open(pending.temporary, .writeOnly, options: reused ? [.closeOnExec] : [.create, .truncate, .closeOnExec],
                                                             permissions: [.ownerReadWrite, .groupRead, .otherRead])
            try file.closeAfter {
                try write(file)
                // Written over a longer store, it ends where this one does.
                if reused { try file.resize(to: file.seek(offset: 0, from: .current)) }
            }
        } catch {
            pending.discard()
            throw error
        }
        return pending
    }

    /// Puts the store in place: exchanged with the current one, which becomes the spare, or
    /// renamed where there is none. With `previous`, the current one is moved there instead
    /// (the build manifest of a tree the swap took out). A rename or an exchange takes no
    /// disk space, so this cannot fail on a full disk.
    func commit(keepingPrevious previous: URL? = nil) throws {
        if let previous, rename(location, previous.path) != 0 {
            unlink(previous.path)
        }
        if previous == nil, clearwater_exchange_paths(temporary, location) == 0 {
            // Only a speed-up: if it cannot be kept, the next write makes a new file.
            if rename(temporary, spare) != 0 { unlink(temporary) }
            return
        }
        guard rename(temporary, location) == 0 else {
            let failure = OutputWriter.Failure(description: "cannot write \(location): \(String(cString: strerror(errno)))")
            discard()
            throw failure
        }
        if keepsSpareCopy { keepSpareCopy(of: location, at: spare) }
    }

    /// Removes the temporary file of a write that failed, or of a build that stopped.
    func discard() {
        unlink(temporary)
    }
}
