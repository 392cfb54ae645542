import Foundation

/// Runs `body` with a new, empty folder in the system's temporary folder, named `prefix` and a
/// UUID, and removes it and all it holds afterwards, whatever `body` did.
public func withTemporaryFolder<Result>(_ prefix: String, _ body: (URL) throws -> Result) throws -> Result {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}
