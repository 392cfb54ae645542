import SystemPackage

/// A file descriptor closed when the last holder lets go: for files read from while a build
/// goes on, such as the previous build's stores and downloads.
final class OpenFile: Sendable {
    let descriptor: FileDescriptor

    init(_ descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    /// `nil` when the file cannot be opened for reading.
    convenience init?(readingAt path: String) {
        guard let descriptor = try? FileDescriptor.open(path, .readOnly, options: .closeOnExec) else { return nil }
        self.init(descriptor)
    }

    /// `nil` when there is no folder at the path to open: one that paths below it are looked
    /// up from (`BuildManifest.filesAltered`), each without walking the folders above it again.
    convenience init?(folderAt path: String) {
        guard let descriptor = try? FileDescriptor.open(path, .readOnly, options: [.directory, .closeOnExec]) else { return nil }
        self.init(descriptor)
    }

    deinit {
        try? descriptor.close()
    }
}
