import ClearwaterCore
import Foundation

/// Requests made with curl, a real HTTP client that sends paths exactly as written
/// (`--path-as-is`), which traversal tests need and URLSession would normalise away.
public enum HTTPClient {
    public struct Response {
        public let status: Int
        public let headers: [String: String]
        public let body: String
    }

    /// Two minutes before giving up: only a hung server should trip it, and with the whole
    /// suite running on two cores a server process waited half a minute for a core.
    ///
    /// - Parameter headers: request headers as curl takes them, `Accept-Encoding: gzip`; the body
    ///   comes back as sent, compressed or not.
    public static func request(_ url: String, method: String = "GET", headers: [String] = []) throws -> Response {
        let arguments = ["--silent", "--show-error", "--path-as-is", "--include", "--max-time", "120"]
            + headers.flatMap { ["--header", $0] } + (method == "HEAD" ? ["--head"] : ["--request", method]) + [url]
        let text = String(decoding: try ChildProcess.run("curl", arguments).stdout, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first?.components(separatedBy: "\r\n") ?? []
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}
