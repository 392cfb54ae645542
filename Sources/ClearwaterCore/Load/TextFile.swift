import Foundation

/// Reads content files as UTF-8 text, turning the encodings Excel and Windows editors
/// produce into located errors instead of mojibake.
enum TextFile {
    /// The file's bytes, or `nil` with a diagnostic when it cannot be read.
    static func bytes(at url: URL, path: String, diagnostics: inout Diagnostics) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.error("cannot read the file", at: SourceLocation(path: path))
            return nil
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            diagnostics.error("the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8", at: SourceLocation(path: path, line: 1, column: 1))
            return nil
        }
        return bytes
    }

    /// The file as a string without a leading byte-order mark, or `nil` with the position of the first invalid byte.
    static func text(at url: URL, path: String, diagnostics: inout Diagnostics) -> String? {
        guard var bytes = bytes(at: url, path: path, diagnostics: &diagnostics) else { return nil }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let (offset, line, column) = firstInvalidByte(in: bytes)
        diagnostics.error("the file is not valid UTF-8 (byte offset \(offset)); save it as UTF-8", at: SourceLocation(path: path, line: line, column: column))
        return nil
    }

    private static func firstInvalidByte(in bytes: [UInt8]) -> (offset: Int, line: Int, column: Int) {
        var line = 1, column = 1, index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
            guard length > 0, index + length <= bytes.count,
                  String(validating: bytes[index..<index + length], as: UTF8.self) != nil else { break }
            if lead == 0x0A { line += 1; column = 1 } else { column += 1 }
            index += length
        }
        return (index, line, column)
    }
}
