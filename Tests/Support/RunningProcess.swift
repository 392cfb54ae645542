import Foundation

/// A real child process whose standard output the test reads line by line as it arrives,
/// waiting for a line it expects rather than for a fixed time.
public final class RunningProcess: @unchecked Sendable {
    public let process = Process()
    /// One iterator for the process's whole life: ending a `for await` loop early would end the stream.
    private var lines: AsyncStream<String>.AsyncIterator
    /// Every line read so far, for failure messages.
    public private(set) var transcript: [String] = []

    public struct Timeout: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ executable: URL, _ arguments: [String], in directory: URL) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        lines = stream.makeAsyncIterator()
        let pending = LineBuffer()
        let handle = output.fileHandleForReading
        try process.run()
        // A thread of its own blocks in read until the child writes or exits.
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                guard !data.isEmpty else { break }
                for line in pending.append(data) { continuation.yield(line) }
            }
            continuation.finish()
        }
    }

    /// The first line, from now on, that satisfies `matches`. A process that prints no such
    /// line within `seconds` is stopped, which ends its output and fails the wait.
    public func line(within seconds: Double = 60, where matches: (String) -> Bool) async throws -> String {
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        defer { watchdog.cancel() }
        while let line = await lines.next() {
            transcript.append(line)
            if matches(line) { return line }
        }
        throw Timeout(description: "no such line within \(seconds) s; the process printed:\n" + transcript.joined(separator: "\n"))
    }

    /// SIGKILL, because a child started from a test thread inherits that thread's blocked
    /// signals, SIGTERM and SIGINT among them.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// Bytes in, whole lines out.
private final class LineBuffer: @unchecked Sendable {
    private var buffer = Data()
    private let lock = NSLock()

    func append(_ data: Data) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(data)
        var lines: [String] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
        return lines
    }
}
