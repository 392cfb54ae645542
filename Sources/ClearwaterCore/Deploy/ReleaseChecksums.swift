import Crypto
import Foundation

/// `SHA256SUMS` of a built site, in the format `sha256sum -c` reads: the host checks its copy
/// with its own tools, so a broken transfer is caught where the files will be served.
enum ReleaseChecksums {
    static let fileName = "SHA256SUMS"

    static func text(for folder: URL) throws -> String {
        let root = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw Deployer.Failure(description: "cannot read \(root)")
        }
        var lines: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard !relative.contains("\n"), !relative.contains("\\") else {
                throw Deployer.Failure(description: "\(relative): a file name with a line break or backslash cannot be listed in \(fileName)")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw Deployer.Failure(description: "cannot read \(path)") }
            let digest = SHA256.hash(data: data).hex
            lines.append("\(digest)  ./\(relative)")
        }
        return lines.sorted { $0.dropFirst(66) < $1.dropFirst(66) }.joined(separator: "\n") + "\n"
    }
}
