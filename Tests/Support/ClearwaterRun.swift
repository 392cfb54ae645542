import ClearwaterCore
import Foundation

/// What the real `clearwater` binary did, as users and the acceptance suite run it.
public struct ClearwaterRun {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public func runClearwater(_ arguments: [String], in directory: URL) throws -> ClearwaterRun {
    let binary = FixtureSite.repository.appendingPathComponent(".build/debug/clearwater").path
    let result = try ChildProcess.run(binary, arguments, in: directory.path)
    return ClearwaterRun(status: result.status, stdout: String(decoding: result.stdout, as: UTF8.self), stderr: String(decoding: result.stderr, as: UTF8.self))
}
