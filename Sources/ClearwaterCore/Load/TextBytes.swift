import CLinux
import Foundation

/// A data file's UTF-8 text as loading reads it, held for as long as anything reads it.
///
/// A large file is mapped where the page cache holds it, under a read lease (`mapped(_:)`): read
/// into memory of its own, a province's 117 MB of disclosures took 22–27 ms at the start of
/// every build on this VM, all of it in memory the process touched for the first time, where
/// mapping it took 3 ms (docs/performance.md, thirtieth session). Anything else is read into
/// memory these bytes own.
final class TextBytes: @unchecked Sendable {
    /// Never written once made: threads share them freely.
    let bytes: UnsafeBufferPointer<UInt8>
    private let storage: Storage

    private enum Storage {
        case owned(UnsafeMutableBufferPointer<UInt8>)
        /// The mapping, and the file open under the lease that closing it gives up.
        case mapped(UnsafeRawBufferPointer, OpenFile)
        /// A part of another's bytes.
        case part(of: TextBytes)
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, storage: Storage) {
        (self.bytes, self.storage) = (bytes, storage)
    }

    convenience init(copying bytes: some Collection<UInt8>) {
        let owned = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = owned.initialize(from: bytes)
        self.init(bytes: UnsafeBufferPointer(owned), storage: .owned(owned))
    }

    /// The bytes from `start` on, holding these.
    func dropping(first start: Int) -> TextBytes {
        TextBytes(bytes: UnsafeBufferPointer(rebasing: bytes[start...]), storage: .part(of: self))
    }

    var count: Int { bytes.count }

    /// Whether the bytes lie in a mapping of the file, rather than in memory of their own.
    var isMapped: Bool {
        switch storage {
        case .owned: false
        case .mapped: true
        case let .part(whole): whole.isMapped
        }
    }

    /// The digest of the bytes in `range`, all of them unless given.
    func digest(of range: Range<Int>? = nil) -> ContentDigest {
        ContentDigest(of: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[range ?? 0..<bytes.count]))
    }

    /// The whole file open at `file`: mapped from a megabyte on, where a lease is granted; else
    /// read. `nil` when it can be neither.
    static func of(_ file: OpenFile) -> TextBytes? {
        var status = stat()
        let isLarge = fstat(file.descriptor.rawValue, &status) == 0 && status.st_size >= 1 << 20
        return (isLarge ? mapped(file) : nil) ?? read(file)
    }

    /// The whole file open at `file`, read into memory of its own; `nil` when it cannot be read.
    /// Read on where it grew while being read.
    static func read(_ file: OpenFile) -> TextBytes? {
        var status = stat()
        guard fstat(file.descriptor.rawValue, &status) == 0 else { return nil }
        var owned = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Int(status.st_size) + 1)
        var count = 0
        while true {
            if count == owned.count {
                let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: owned.count * 2)
                _ = larger.initialize(fromContentsOf: owned)
                owned.deallocate()
                owned = larger
            }
            guard let read = try? file.descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(owned)[count...])) else {
                owned.deallocate()
                return nil
            }
            if read == 0 { break }
            count += read
        }
        return TextBytes(bytes: UnsafeBufferPointer(rebasing: owned[..<count]), storage: .owned(owned))
    }

    /// The whole file open read-only at `file`, mapped, once a read lease keeps every other
    /// program from writing to it or truncating it until these bytes are let go: a mapped file
    /// that another program truncated would end the build with `SIGBUS`, and an editor may save
    /// a content file while `serve` rebuilds. Such an editor waits for the build to let go.
    /// `nil` where no lease is granted (the file is open for writing elsewhere, belongs to
    /// another user, or lies where leases are not supported), or it cannot be mapped.
    static func mapped(_ file: OpenFile) -> TextBytes? {
        guard clearwater_take_read_lease(file.descriptor.rawValue) == 0 else { return nil }
        // Looked at once leased: the size cannot change after.
        var status = stat()
        guard fstat(file.descriptor.rawValue, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        // Populated at once: every page is read, and faulting them in one at a time costs more.
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, file.descriptor.rawValue, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        let mapping = UnsafeRawBufferPointer(start: address, count: size)
        return TextBytes(bytes: mapping.assumingMemoryBound(to: UInt8.self), storage: .mapped(mapping, file))
    }

    deinit {
        switch storage {
        case let .owned(owned): owned.deallocate()
        case let .mapped(mapping, _): munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count)
        case .part: break
        }
    }
}
