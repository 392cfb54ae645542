import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts programs with `posix_spawnp` and reaps them with `waitpid`.
///
/// Written by hand instead of Foundation's `Process`: on Linux, `waitUntilExit` was seen
/// waiting forever on a child that had already exited (a zombie nobody reaped) when several
/// children ran at once, which hung deploys and their tests.
public struct ChildProcess: Sendable {
    public let pid: pid_t

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// What a finished program printed, and how it ended.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
    }

    /// Starts `program` (looked up in PATH) with its output into `output` (both streams) or
    /// nowhere; its input is /dev/null.
    public static func start(_ program: String, _ arguments: [String], in directory: String? = nil, output: Int32? = nil, errors: Int32? = nil) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let output { posix_spawn_file_actions_adddup2(&actions, output, 1) } else { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        if let errors = errors ?? output { posix_spawn_file_actions_adddup2(&actions, errors, 2) } else { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        if let directory { clearwater_spawn_add_chdir(&actions, directory) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A child inherits the blocked signals of the thread that starts it; unblock them all,
        // so SIGTERM and Ctrl-C reach it.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        guard result == 0 else { throw Failure(description: "cannot run \(program): \(String(cString: strerror(result)))") }
        return ChildProcess(pid: pid)
    }

    /// Runs `program` to its end and collects both of its outputs.
    public static func run(_ program: String, _ arguments: [String], in directory: String? = nil) throws -> Result {
        let (outRead, outWrite) = try pipePair()
        let (errRead, errWrite) = try pipePair()
        let child: ChildProcess
        do {
            child = try start(program, arguments, in: directory, output: outWrite, errors: errWrite)
        } catch {
            [outRead, outWrite, errRead, errWrite].forEach { close($0) }
            throw error
        }
        close(outWrite)
        close(errWrite)
        // stderr on a thread of its own, so neither pipe fills up while the other is read.
        let errors = HandOff()
        Thread.detachNewThread { errors.put(readAll(errRead)) }
        let stdout = readAll(outRead)
        let status = child.wait()
        return Result(status: status, stdout: stdout, stderr: errors.take())
    }

    /// Waits for the program to end; its exit status, or 128 + the signal that ended it.
    @discardableResult
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    public func kill(_ signal: Int32 = SIGKILL) {
        _ = Glibc.kill(pid, signal)
    }

    /// A pipe whose ends are closed in children other than the one they are given to.
    public static func pipePair() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard clearwater_pipe_cloexec(&fds) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
        return (fds[0], fds[1])
    }

    /// Reads a descriptor to its end, then closes it.
    public static func readAll(_ fd: Int32) -> Data {
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }
}

/// Bytes read on one thread, handed to another once.
private final class HandOff: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func put(_ value: Data) {
        condition.withLock {
            data = value
            condition.signal()
        }
    }

    func take() -> Data {
        condition.withLock {
            while data == nil { condition.wait() }
            return data ?? Data()
        }
    }
}
