import Foundation

/// A file's bytes mapped read-only into memory, unmapped when the last holder lets go.
///
/// Read where the page cache holds them: read into a buffer, a province's 47 MB of stored rows
/// were copied into memory the process touched for the first time, and on this VM that costs
/// 0.6–0.8 ms a megabyte once the host has taken freed memory back (`docs/performance.md`).
///
/// Only for files this program writes under the output's lock and never writes in place while
/// they may be mapped: the stores and the manifest beside the output and the output's pages,
/// replaced by a rename, and the output's downloads, written over only once they have moved to
/// the spare. A file another program truncated while mapped would end the build with `SIGBUS`,
/// so the content's files, which an editor may save while `serve` rebuilds, are mapped only
/// under a lease that keeps writers out (`TextBytes.mapped`), never with this.
final class MappedFile: @unchecked Sendable {
    /// Never written: the mapping is read-only, so threads share it freely.
    let bytes: UnsafeRawBufferPointer

    /// The whole file, as large as it is once open; `nil` for an empty file, or one that cannot be mapped.
    init?(_ file: OpenFile) {
        var status = stat()
        guard fstat(file.descriptor.rawValue, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, file.descriptor.rawValue, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// The whole file at `path`.
    convenience init?(readingAt path: String) {
        guard let file = OpenFile(readingAt: path) else { return nil }
        self.init(file)
    }

    /// Drops the pages before `offset` from this process's memory; read again, they come
    /// back from the page cache. A file read from start to end this way holds a few megabytes
    /// at a time rather than all it has read: mapped whole, a province's downloads added
    /// 160 MB to a rebuild's peak memory.
    func release(before offset: Int) {
        let end = min(offset, bytes.count) & ~(Int(getpagesize()) - 1)
        guard end > 0, let start = bytes.baseAddress else { return }
        madvise(UnsafeMutableRawPointer(mutating: start), end, MADV_DONTNEED)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}
