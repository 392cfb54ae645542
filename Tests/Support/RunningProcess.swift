import ClearwaterCore
import Foundation

/// A real child process whose output (both streams) the test reads line by line as it arrives,
/// waiting for a line it expects rather than for a fixed time.
public final class RunningProcess: @unchecked Sendable {
    private let child: ChildProcess
    private let stopped = NSLock()
    private var hasStopped = false
    /// One iterator for the process's whole life: ending a `for await` loop early would end the stream.
    private var lines: AsyncStream<String>.AsyncIterator
    /// Every line read so far, for failure messages.
    public private(set) var transcript: [String] = []

    public struct Timeout: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ program: String, _ arguments: [String], in directory: URL) throws {
        let (read, write) = try ChildProcess.pipePair()
        defer { close(write) }
        child = try ChildProcess.start(program, arguments, in: directory.path, output: write)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        lines = stream.makeAsyncIterator()
        // A thread of its own blocks in read until the child writes or exits.
        Thread.detachNewThread {
            var buffer = Data()
            var chunk = [UInt8](repeating: 0, count: 16384)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(read, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                buffer.append(contentsOf: chunk[0..<count])
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            close(read)
            continuation.finish()
        }
    }

    /// The first line, from now on, that satisfies `matches`. A process that prints no such
    /// line within `seconds` is killed, which ends its output and fails the wait.
    public func line(within seconds: Double = 60, where matches: (String) -> Bool) async throws -> String {
        let watchdog = DispatchWorkItem { [child] in child.kill() }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        defer { watchdog.cancel() }
        while let line = await lines.next() {
            transcript.append(line)
            if matches(line) { return line }
        }
        throw Timeout(description: "no such line within \(seconds) s; the process printed:\n" + transcript.joined(separator: "\n"))
    }

    public func stop() {
        stopped.withLock {
            guard !hasStopped else { return }
            hasStopped = true
            child.kill()
            child.wait()
        }
    }

    deinit { stop() }
}
