import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One build at a time per output folder. Two builds would read the same snapshot and clear
/// each other's staging folder; the second one stops with a clear message instead. `flock`
/// locks end with the process, so a killed build never leaves the folder locked.
public final class OutputLock {
    private let descriptor: Int32

    /// The lock file beside the output folder; its name does not match the staging folders' prefix.
    public static func path(for output: URL) -> URL {
        let output = output.standardizedFileURL
        return output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.lock")
    }

    public init(output: URL) throws {
        let file = Self.path(for: output)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputWriter.Failure(description: "cannot create the lock file \(file.path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw OutputWriter.Failure(description: "another Clearwater build is writing \(output.standardizedFileURL.path) (it holds \(file.path)); run this one when it has finished")
        }
    }

    /// Unlocked before it is closed: a program another thread is starting holds a copy of this
    /// descriptor until it has exec'd, and a lock merely closed stays held by that copy meanwhile.
    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
