/// Reads a CSV file (RFC 4180) one record at a time, so that a province's half a million rows
/// become records one by one and never a table of cells in memory.
///
/// Written by hand because the CSV packages on this machine (SwiftCSV, CSV.swift) report
/// neither line nor column, and every content error must carry both. It works on UTF-8 bytes
/// directly and counts columns in Unicode scalars, as editors and libyaml do.
///
/// A reader can start at any record boundary (`offset`, on `line`) and stop at another, so that
/// two halves of a file are read at once; a record that starts before `end` is read to its end
/// even past it.
public struct CSVReader: Sendable {
    public let path: String
    private let text: TextBytes
    private var bytes: UnsafeBufferPointer<UInt8> { text.bytes }
    private let end: Int
    /// Where the next record starts.
    public private(set) var offset: Int
    /// The line the next record starts on.
    public private(set) var line: Int
    private var column = 1
    /// The most cells a record had so far: the next one's array is made that large at once.
    private var cellsPerRecord = 1

    public init(bytes: [UInt8], path: String, from offset: Int = 0, line: Int = 1, to end: Int? = nil) {
        self.init(text: TextBytes(copying: bytes), path: path, from: offset, line: line, to: end)
    }

    init(text: TextBytes, path: String, from offset: Int = 0, line: Int = 1, to end: Int? = nil) {
        self.text = text
        self.path = path
        self.end = min(end ?? text.bytes.count, text.bytes.count)
        self.line = line
        self.offset = offset == 0 && text.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : offset
    }

    /// The lines from here to where the reader ends: at least the records left, to size what
    /// collects them at once rather than by doubling (LF, or CR where a file has no LF).
    public var linesLeft: Int { lines(in: min(offset, end)..<end) }

    /// The lines from where the reader ends to the end of the file: with `linesLeft`, at least
    /// the records left to this reader and to one that reads on after it.
    public var linesPastEnd: Int { lines(in: end..<bytes.count) }

    private func lines(in range: Range<Int>) -> Int {
        let rest = bytes[range]
        let lineFeeds = rest.reduce(0) { $0 + ($1 == Self.lineFeed ? 1 : 0) }
        return (lineFeeds > 0 ? lineFeeds : rest.reduce(0) { $0 + ($1 == Self.carriageReturn ? 1 : 0) }) + 1
    }

    /// The next record that is not a blank line, or `nil` where the reader ends.
    public mutating func next(_ diagnostics: inout Diagnostics) -> CSVRecord? {
        while offset < end {
            let record = readRecord(&diagnostics)
            let isBlank = record.cells.count == 1 && record.cells[0].text.isEmpty && !record.quoted
            if !isBlank { return CSVRecord(cells: record.cells, line: record.line) }
        }
        return nil
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D

    /// Advances past one byte, keeping line and column right for CR, LF and CRLF.
    private mutating func advance() {
        let byte = bytes[offset]
        offset += 1
        if byte == Self.lineFeed || (byte == Self.carriageReturn && (offset >= bytes.count || bytes[offset] != Self.lineFeed)) {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 && byte != Self.carriageReturn {
            column += 1
        }
    }

    private var atLineEnd: Bool { offset < bytes.count && (bytes[offset] == Self.lineFeed || bytes[offset] == Self.carriageReturn) }

    private mutating func skipLineEnd() {
        if offset < bytes.count, bytes[offset] == Self.carriageReturn { advance() }
        if offset < bytes.count, bytes[offset] == Self.lineFeed { advance() }
    }

    private mutating func readRecord(_ diagnostics: inout Diagnostics) -> (cells: [CSVCell], line: Int, quoted: Bool) {
        let startLine = line
        var cells: [CSVCell] = []
        cells.reserveCapacity(cellsPerRecord)
        var anyQuoted = false
        while true {
            let quoted = offset < bytes.count && bytes[offset] == Self.quote
            cells.append(quoted ? readQuotedCell(&diagnostics) : readUnquotedCell(&diagnostics))
            anyQuoted = anyQuoted || quoted
            if offset < bytes.count, bytes[offset] == Self.comma {
                advance()
                continue
            }
            skipLineEnd()
            cellsPerRecord = max(cellsPerRecord, cells.count)
            return (cells, startLine, anyQuoted)
        }
    }

    /// Almost every cell: its bytes are taken as they lie, in one pass that also counts columns.
    private mutating func readUnquotedCell(_ diagnostics: inout Diagnostics) -> CSVCell {
        let cellColumn = column
        let start = offset
        var scalars = 0
        var isASCII = true
        var stop = start
        while stop < bytes.count {
            let byte = bytes[stop]
            if byte == Self.comma || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            if byte == Self.quote {
                diagnostics.error("a '\"' inside an unquoted cell; quote the whole cell and double the inner quotes", at: SourceLocation(path: path, line: line, column: cellColumn + scalars))
            }
            if byte & 0xC0 != 0x80 { scalars += 1 }
            isASCII = isASCII && byte < 0x80
            stop += 1
        }
        offset = stop
        column += scalars
        // ASCII is always valid UTF-8 and takes the decoder's fast path; validating every cell
        // went through generic code that looked up type metadata each time, an eighth of loading.
        let cell = UnsafeBufferPointer(rebasing: bytes[start..<stop])
        return makeCell(isASCII ? String(decoding: cell, as: UTF8.self) : String(validating: cell, as: UTF8.self), line: line, column: cellColumn, &diagnostics)
    }

    private mutating func readQuotedCell(_ diagnostics: inout Diagnostics) -> CSVCell {
        if let cell = readPlainQuotedCell(&diagnostics) { return cell }
        let cellLine = line, cellColumn = column
        var content: [UInt8] = []
        advance()
        var closed = false
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == Self.quote {
                if offset + 1 < bytes.count, bytes[offset + 1] == Self.quote {
                    content.append(byte)
                    advance(); advance()
                    continue
                }
                advance()
                closed = true
                break
            }
            content.append(byte)
            advance()
        }
        if !closed {
            diagnostics.error("quoted cell is never closed (a '\"' is missing)", at: SourceLocation(path: path, line: cellLine, column: cellColumn))
        } else if offset < bytes.count, bytes[offset] != Self.comma, !atLineEnd {
            diagnostics.error("unexpected text after the closing quote of a cell", at: SourceLocation(path: path, line: line, column: column))
            while offset < bytes.count, bytes[offset] != Self.comma, !atLineEnd { advance() }
        }
        return makeCell(String(validating: content, as: UTF8.self), line: cellLine, column: cellColumn, &diagnostics)
    }

    /// A quoted cell with no quote doubled and no line break inside, properly closed — a
    /// spreadsheet quotes every cell with a comma in it, a province's sources and destinations —
    /// taken as its bytes lie, like an unquoted cell; `nil`, having read nothing, for any other.
    /// Byte by byte, into an array of its own, such cells were a seventh of checking the varied L.
    private mutating func readPlainQuotedCell(_ diagnostics: inout Diagnostics) -> CSVCell? {
        let start = offset + 1
        var scalars = 0
        var closing = start
        while true {
            guard closing < bytes.count, bytes[closing] != Self.lineFeed, bytes[closing] != Self.carriageReturn else { return nil }
            if bytes[closing] == Self.quote {
                let next = closing + 1 < bytes.count ? bytes[closing + 1] : nil
                guard next == nil || next == Self.comma || next == Self.lineFeed || next == Self.carriageReturn else { return nil }
                break
            }
            if bytes[closing] & 0xC0 != 0x80 { scalars += 1 }
            closing += 1
        }
        let cellColumn = column
        offset = closing + 1
        column += scalars + 2
        return makeCell(String(validating: UnsafeBufferPointer(rebasing: bytes[start..<closing]), as: UTF8.self), line: line, column: cellColumn, &diagnostics)
    }

    private func makeCell(_ text: String?, line: Int, column: Int, _ diagnostics: inout Diagnostics) -> CSVCell {
        if let text { return CSVCell(text: text, line: line, column: column) }
        diagnostics.error("cell is not valid UTF-8; save the file as UTF-8", at: SourceLocation(path: path, line: line, column: column))
        return CSVCell(text: "", line: line, column: column)
    }
}
