import Foundation

/// Where a site is deployed: a folder on this machine, or `user@host:/path` reached over SSH.
/// Both run the same shell steps, here or on the host, so both behave the same.
public struct DeployTarget: Sendable, CustomStringConvertible {
    /// `user@host`, or nil for this machine.
    public let host: String?
    /// The web root holding `releases/` and `current`.
    public let path: String
    /// The SSH command rsync and the steps use, e.g. `ssh -p 2222 -i key`.
    public let ssh: [String]

    /// Reads DEST as rsync does: a colon before the first slash means a remote host.
    public init?(_ destination: String, ssh: String = "ssh") {
        let sshWords = ssh.split(separator: " ").map(String.init)
        guard !destination.isEmpty, !sshWords.isEmpty else { return nil }
        self.ssh = sshWords
        if let colon = destination.firstIndex(of: ":"), !destination[..<colon].contains("/") {
            let host = String(destination[..<colon])
            let path = String(destination[destination.index(after: colon)...])
            guard !host.isEmpty, !host.hasPrefix("-"), path.hasPrefix("/") else { return nil }
            self.host = host
            self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        } else {
            host = nil
            let absolute = URL(fileURLWithPath: destination).standardizedFileURL.path
            path = absolute
        }
    }

    public var description: String { host.map { "\($0):\(path)" } ?? path }

    /// Runs a shell script in the web root's context (here, or on the host over SSH).
    @discardableResult
    func run(_ script: String) throws -> String {
        if let host {
            return try ShellCommand(arguments: ssh + ["-o", "BatchMode=yes", host, "sh -c " + ShellCommand.quote(script)]).run()
        }
        return try ShellCommand(arguments: ["sh", "-c", script]).run()
    }

    /// What rsync calls a folder of this target.
    func rsyncPath(_ relative: String) -> String {
        let full = path + "/" + relative
        return host.map { "\($0):\(full)" } ?? full
    }

    /// rsync's own options for reaching the host.
    var rsyncTransport: [String] {
        host == nil ? [] : ["-e", (ssh + ["-o", "BatchMode=yes"]).joined(separator: " ")]
    }
}
