/// A problem found in the content, located precisely enough that an editor can jump to it.
///
/// Diagnostics are values: stages collect them and keep going, so one run
/// reports every problem, and tests compare them whole.
public struct Diagnostic: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case error, warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    public var path: String
    /// 1-based; 0 where no line applies (a missing file).
    public var line: Int
    /// 1-based, counted in Unicode scalars; 0 where no column applies.
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(path: String, line: Int = 0, column: Int = 0, severity: Severity = .error, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    public static func error(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(path: location.path, line: location.line, column: location.column, severity: .error, message: message)
    }

    public static func warning(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(path: location.path, line: location.line, column: location.column, severity: .warning, message: message)
    }

    /// The `PATH:LINE:COLUMN: error: MESSAGE` line of the content contract.
    public var description: String { "\(path):\(line):\(column): \(severity.rawValue): \(message)" }
}

/// Where something stands in a content file.
public struct SourceLocation: Equatable, Hashable, Sendable {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 0, column: Int = 0) {
        self.path = path
        self.line = line
        self.column = column
    }
}

/// Collects diagnostics from one stage without stopping at the first.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }

    public mutating func error(_ message: String, at location: SourceLocation) {
        all.append(.error(message, at: location))
    }

    public mutating func warning(_ message: String, at location: SourceLocation) {
        all.append(.warning(message, at: location))
    }

    mutating func append(_ diagnostic: Diagnostic) {
        all.append(diagnostic)
    }

    public mutating func append(contentsOf other: Diagnostics) {
        all.append(contentsOf: other.all)
    }

    /// File order, then position: the order a reader fixes them in.
    public var sorted: [Diagnostic] {
        all.sorted { ($0.path, $0.line, $0.column, $0.severity, $0.message) < ($1.path, $1.line, $1.column, $1.severity, $1.message) }
    }
}

/// Thrown when content errors stop a build; carries every diagnostic found.
public struct ContentErrors: Error, Sendable {
    public let diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}
