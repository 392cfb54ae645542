import Foundation
import SystemPackage

/// Reads content files as UTF-8 text: decodes the encodings Excel and Windows editors
/// produce when the site declares them, and turns everything else into located errors
/// instead of mojibake or replacement characters.
enum TextFile {
    /// The file's bytes, or `nil` with a diagnostic when it cannot be read or is a symbolic
    /// link leading outside `root` (a content folder must not publish `/etc/passwd`).
    static func bytes(at url: URL, path: String, inside root: URL, diagnostics: inout Diagnostics) -> [UInt8]? {
        guard let resolved = resolvedPath(of: url, path: path, inside: root, diagnostics: &diagnostics) else { return nil }
        guard let bytes = contents(of: resolved) else {
            diagnostics.error("cannot read the file", at: SourceLocation(path: path))
            return nil
        }
        return bytes
    }

    /// A data file's text as valid UTF-8 without a byte-order mark (`utf8`), or `nil` with a
    /// diagnostic; mapped where the file is large (`TextBytes.mapped`).
    static func data(at url: URL, path: String, inside root: URL, encoding: TextEncoding?, diagnostics: inout Diagnostics) -> TextBytes? {
        unchecked(at: url, path: path, inside: root, diagnostics: &diagnostics)
            .flatMap { checked($0, path: path, encoding: encoding, diagnostics: &diagnostics) }
    }

    /// A data file's bytes as read, and its text after any UTF-8 byte-order mark, not yet
    /// checked (`checked`).
    struct Unchecked {
        let file: TextBytes
        let body: TextBytes
    }

    static func unchecked(at url: URL, path: String, inside root: URL, diagnostics: inout Diagnostics) -> Unchecked? {
        guard let resolved = resolvedPath(of: url, path: path, inside: root, diagnostics: &diagnostics) else { return nil }
        guard let file = OpenFile(readingAt: resolved), let text = TextBytes.of(file) else {
            diagnostics.error("cannot read the file", at: SourceLocation(path: path))
            return nil
        }
        return Unchecked(file: text, body: text.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? text.dropping(first: 3) : text)
    }

    /// The text of `data`: the body as read when it is valid UTF-8, else decoded from `encoding`,
    /// or `nil` with a diagnostic.
    ///
    /// - Parameter trusted: how many bytes at the body's start and at its end are a text a
    ///   previous build checked, unchanged (`TextBlocks.commonEnds`): only the rest is checked,
    ///   with the characters it shares with them. At province scale checking all of it was
    ///   18 ms of every rebuild's loading.
    static func checked(_ text: Unchecked, path: String, encoding: TextEncoding?, trusting trusted: (prefix: Int, suffix: Int) = (0, 0),
                        diagnostics: inout Diagnostics) -> TextBytes? {
        let bytes = text.body.bytes
        // From the first byte of the last character the trusted start holds, which the change may cut short…
        var start = min(trusted.prefix, bytes.count)
        if start > 0 {
            start -= 1
            while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        }
        // …to the last byte of the character the change ends in, which may go on into the trusted end.
        var end = max(start, bytes.count - trusted.suffix)
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        if isValidUTF8(bytes.span.extracting(start..<end)) { return text.body }
        // Any other text is decoded, or reported, from a copy, as every other file is.
        return utf8(Array(text.file.bytes), path: path, encoding: encoding, diagnostics: &diagnostics).map(TextBytes.init(copying:))
    }

    /// The real path of the file, or `nil` with a diagnostic when nothing is there or it is a
    /// symbolic link leading outside `root`.
    private static func resolvedPath(of url: URL, path: String, inside root: URL, diagnostics: inout Diagnostics) -> String? {
        guard let resolved = ResolvedPath.of(url.path), let rootPath = ResolvedPath.of(root.path) else {
            var status = stat()
            let isLink = lstat(url.path, &status) == 0
            diagnostics.error(isLink ? "the file is a symbolic link to nothing" : "the file does not exist", at: SourceLocation(path: path))
            return nil
        }
        guard ResolvedPath.isInside(resolved, rootPath) else {
            diagnostics.error("the file is a symbolic link to \(resolved), outside \(root.lastPathComponent)/; copy the file in instead", at: SourceLocation(path: path))
            return nil
        }
        return resolved
    }

    /// The whole file as an array, for the small files decoded as a whole (YAML, Markdown,
    /// templates), read as data files are (`TextBytes.read`).
    private static func contents(of path: String) -> [UInt8]? {
        OpenFile(readingAt: path).flatMap(TextBytes.read).map { Array($0.bytes) }
    }

    /// The file as a string without a leading byte-order mark.
    static func text(at url: URL, path: String, inside root: URL, encoding: TextEncoding? = nil, diagnostics: inout Diagnostics) -> String? {
        guard let bytes = bytes(at: url, path: path, inside: root, diagnostics: &diagnostics),
              let utf8 = utf8(bytes, path: path, encoding: encoding, diagnostics: &diagnostics) else { return nil }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Valid UTF-8 without a byte-order mark. Bytes that are not UTF-8 are decoded from
    /// `encoding` when the site or the file declares one; valid UTF-8 is always read as UTF-8,
    /// because GB18030 or UTF-16 text is practically never valid UTF-8, so a site-wide
    /// declaration cannot garble the files that were saved right.
    ///
    /// The mark is dropped where the bytes lie when the caller hands them over (`consume`):
    /// copied, a province's disclosures touched seventy megabytes of memory for the first time.
    static func utf8(_ bytes: consuming [UInt8], path: String, encoding: TextEncoding?, diagnostics: inout Diagnostics) -> [UInt8]? {
        let marked = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        // Validated in place: `String(validating:)` copied the text to check it.
        if isValidUTF8(bytes.span.extracting(droppingFirst: marked ? 3 : 0)) {
            if marked { bytes.removeFirst(3) }
            return bytes
        }
        switch encoding {
        case nil, .utf8?:
            if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
                diagnostics.error("the file is UTF-16 (it starts with a UTF-16 byte-order mark, as Excel's 'Unicode text' saves it); save it as 'CSV UTF-8', or declare it in site.yml with 'encoding: utf-16'", at: SourceLocation(path: path, line: 1, column: 1))
                return nil
            }
            reportInvalidUTF8(bytes, path: path, diagnostics: &diagnostics)
            return nil
        case let declared?:
            switch declared.decode(bytes) {
            case let .success(text): return text
            case let .failure(invalid):
                let (line, column) = position(ofByte: invalid.offset, in: bytes)
                diagnostics.error("the file is declared \(declared.rawValue) but is not (invalid byte at offset \(invalid.offset)); correct its 'encoding'", at: SourceLocation(path: path, line: line, column: column))
                return nil
            }
        }
    }

    static func isValidUTF8(_ bytes: Span<UInt8>) -> Bool {
        firstInvalidByte(in: bytes) == nil
    }

    /// Where the first sequence that is not well-formed UTF-8 starts; `nil` when every one is.
    /// ASCII is skipped eight bytes at a time, straight to the first byte that is not, and each
    /// multi-byte sequence is checked where it stands against the Unicode Standard's table of
    /// well-formed sequences (Table 3-7), by hand rather than by the standard library's
    /// `UTF8Span(validating:)`: a province's disclosures have a short Chinese cell on every row,
    /// and a call per cell, half a million of them, was most of the check at the start of every
    /// build.
    static func firstInvalidByte(in bytes: Span<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            let count = buffer.count
            var index = 0
            while index < count {
                while index + 8 <= count {
                    // The first byte in memory is the word's lowest: the ASCII bytes before the first
                    // that is not are skipped at once, not walked one by one (a third of the check,
                    // with a Chinese cell on every row of a province's disclosures).
                    let high = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) & 0x8080_8080_8080_8080
                    if high != 0 {
                        index += high.trailingZeroBitCount / 8
                        break
                    }
                    index += 8
                }
                guard index < count else { return nil }
                let lead = base[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                // The second byte's range rules out overlong forms, surrogates and anything past U+10FFFF.
                let length: Int, second: ClosedRange<UInt8>
                switch lead {
                case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
                case 0xE0: (length, second) = (3, 0xA0...0xBF)
                case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
                case 0xED: (length, second) = (3, 0x80...0x9F)
                case 0xF0: (length, second) = (4, 0x90...0xBF)
                case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
                case 0xF4: (length, second) = (4, 0x80...0x8F)
                default: return index
                }
                guard index + length <= count, second.contains(base[index + 1]) else { return index }
                for offset in 2..<length where base[index + offset] & 0xC0 != 0x80 { return index }
                index += length
            }
            return nil
        }
    }

    /// `encoding: NAME` on a line of its own near the top of a YAML file or front matter: how a
    /// file that is not UTF-8 names its own encoding (GB18030 leaves ASCII lines as they are).
    static func selfDeclaredEncoding(in bytes: [UInt8]) -> TextEncoding? {
        // Bytes, not Foundation's trimming: this runs for every Markdown page of a province.
        let key = Array("encoding:".utf8)
        let head = bytes.prefix(4096)
        // Most pages declare nothing: looked for before the head is split into lines.
        guard head.indices.contains(where: { head[$0...].starts(with: key) }) else { return nil }
        for line in head.split(separator: 0x0A).prefix(40) where line.allSatisfy({ $0 < 0x80 }) {
            let text = trimmingASCIISpace(line)
            guard text.starts(with: key) else { continue }
            return TextEncoding(name: String(decoding: trimmingASCIISpace(text.dropFirst(key.count)), as: UTF8.self))
        }
        return nil
    }

    /// Space, tab and the line and form feeds at either end: all the white space an ASCII line can hold.
    private static func trimmingASCIISpace(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }) else { return [] }
        return line[first...last]
    }

    private static func reportInvalidUTF8(_ bytes: [UInt8], path: String, diagnostics: inout Diagnostics) {
        let invalid = firstInvalidByte(in: bytes.span) ?? bytes.count
        let (line, column) = position(ofByte: invalid, in: bytes)
        // Damaged UTF-8 has valid multi-byte characters before its first bad byte; GB18030 has
        // none (its Chinese is never valid UTF-8) and decodes to Chinese as a whole.
        let looksChinese = bytes.prefix(invalid).allSatisfy { $0 < 0x80 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
            && (try? TextEncoding.gb18030.decode(bytes).get()).map { String(decoding: $0, as: UTF8.self).unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } } == true
        let hint = looksChinese
            ? "it looks like GB18030/GBK, the 'CSV' Excel saves on Chinese Windows; save it as 'CSV UTF-8', or declare it in site.yml with 'encoding: gb18030' (for one file: 'encoding: { data/NAME.csv: gb18030 }')"
            : "save it as UTF-8"
        diagnostics.error("the file is not valid UTF-8 (byte offset \(invalid)); \(hint)", at: SourceLocation(path: path, line: line, column: column))
    }

    /// Line and column (in characters, counting from 1) of a byte offset; bytes that are not
    /// UTF-8 count one column each.
    static func position(ofByte offset: Int, in bytes: some Collection<UInt8>) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}
