import ClearwaterCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A port nobody listens on right now: the kernel picks it for a socket that is then closed.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServerFailure(description: "socket: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw ServerFailure(description: "bind: \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

public struct ServerFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Runs a program to completion; a non-zero exit throws with what it printed.
@discardableResult
public func runProgram(_ path: String, _ arguments: [String]) throws -> String {
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw ServerFailure(description: "\(path) is missing: run script/bootstrap --test (the tests need it and do not skip)")
    }
    let result = try ChildProcess.run(path, arguments)
    let text = String(decoding: result.stdout + result.stderr, as: UTF8.self)
    guard result.status == 0 else { throw ServerFailure(description: "\(path) \(arguments.joined(separator: " ")) failed: \(text)") }
    return text
}

/// nginx from Debian on a loopback port, configured with the server block from docs/deploy/.
public final class NginxServer {
    public let port: Int
    private let folder: URL

    /// - Parameter webRoot: replaces `/var/www/clearwater` of the documented block.
    public init(serving webRoot: URL, in folder: URL) throws {
        self.folder = folder
        port = try freeLoopbackPort()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("temp"), withIntermediateDirectories: true)
        let documented = try String(contentsOf: FixtureSite.repository.appendingPathComponent("docs/deploy/nginx-site.conf"), encoding: .utf8)
        let server = documented.replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(port);")
            .replacingOccurrences(of: "/var/www/clearwater", with: webRoot.path)
            .replacingOccurrences(of: "/disclosure/", with: "/sub/path/")
        let temp = folder.appendingPathComponent("temp").path
        let configuration = """
        pid \(folder.path)/nginx.pid;
        error_log \(folder.path)/error.log;
        worker_processes 1;
        events { worker_connections 64; }
        http {
            include /etc/nginx/mime.types;
            access_log off;
            client_body_temp_path \(temp); proxy_temp_path \(temp); fastcgi_temp_path \(temp); uwsgi_temp_path \(temp); scgi_temp_path \(temp);
        \(server)
        }
        """
        try configuration.write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        // As a daemon, nginx returns only once its socket listens: ready without polling. The
        // daemon keeps its standard output open, so that goes nowhere rather than into a pipe.
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") else {
            throw ServerFailure(description: "/usr/sbin/nginx is missing: run script/bootstrap --test (the tests need it and do not skip)")
        }
        // Its output goes nowhere: the daemon would hold a pipe open for as long as it runs.
        let nginx = try ChildProcess.start("/usr/sbin/nginx", ["-c", folder.appendingPathComponent("nginx.conf").path, "-p", folder.path])
        guard nginx.wait() == 0 else {
            let log = (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
            throw ServerFailure(description: "nginx did not start: \(log)")
        }
    }

    public func stop() {
        _ = try? ChildProcess.start("/usr/sbin/nginx", ["-c", folder.appendingPathComponent("nginx.conf").path, "-p", folder.path, "-s", "stop"]).wait()
    }

    deinit { stop() }
}

/// OpenSSH's sshd on a loopback port, accepting one key made for the test.
public final class SSHServer {
    public let port: Int
    public let user: String
    /// The `--ssh` command that reaches this server with the test's key.
    public let sshCommand: String
    private let process: RunningProcess

    public static func start(in folder: URL) async throws -> SSHServer {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // sshd refuses to start without its privilege-separation folder.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try runProgram("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", folder.appendingPathComponent("host_key").path])
        try runProgram("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", folder.appendingPathComponent("client_key").path])
        try FileManager.default.copyItem(at: folder.appendingPathComponent("client_key.pub"), to: folder.appendingPathComponent("authorized_keys"))
        let port = try freeLoopbackPort()
        let configuration = """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(folder.path)/host_key
        AuthorizedKeysFile \(folder.path)/authorized_keys
        PidFile \(folder.path)/sshd.pid
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin prohibit-password
        LogLevel INFO

        """
        try configuration.write(to: folder.appendingPathComponent("sshd_config"), atomically: true, encoding: .utf8)
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") else {
            throw ServerFailure(description: "/usr/sbin/sshd is missing: run script/bootstrap --test (the tests need it and do not skip)")
        }
        let process = try RunningProcess("/usr/sbin/sshd", ["-D", "-e", "-f", folder.appendingPathComponent("sshd_config").path], in: folder)
        _ = try await process.line(within: 30) { $0.contains("Server listening on 127.0.0.1 port \(port)") }
        let user = String(cString: getpwuid(getuid()).pointee.pw_name)
        let ssh = "ssh -p \(port) -i \(folder.path)/client_key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
        return SSHServer(port: port, user: user, sshCommand: ssh, process: process)
    }

    private init(port: Int, user: String, sshCommand: String, process: RunningProcess) {
        self.port = port
        self.user = user
        self.sshCommand = sshCommand
        self.process = process
    }

    public func stop() { process.stop() }
}
