import Foundation

/// Runs a program and collects what it printed; a non-zero exit is an error carrying its stderr.
struct ShellCommand {
    let arguments: [String]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    @discardableResult
    func run() throws -> String {
        guard let program = arguments.first else { return "" }
        let result = try ChildProcess.run(program, Array(arguments.dropFirst()))
        guard result.status == 0 else {
            let stderr = String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "\(program == "sh" ? "shell" : program) failed (exit \(result.status)): \(stderr)")
        }
        return String(decoding: result.stdout, as: UTF8.self)
    }

    /// A word for `sh`, whatever it holds.
    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
