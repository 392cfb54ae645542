/// RFC 4180 parser that remembers where every cell starts.
///
/// Written by hand because the CSV packages on this machine (SwiftCSV, CSV.swift)
/// report neither line nor column, and every content error must carry both.
/// It works on UTF-8 bytes directly and counts columns in Unicode scalars, as
/// editors and libyaml do.
public struct CSVParser {
    public init() {}

    public func parse(_ bytes: [UInt8], path: String) -> (CSVTable, Diagnostics) {
        var state = State(bytes: bytes, path: path)
        state.run()
        var records = state.records
        let header = records.isEmpty ? nil : records.removeFirst()
        return (CSVTable(path: path, header: header, records: records), state.diagnostics)
    }

    private struct State {
        let bytes: [UInt8]
        let path: String
        var index = 0
        var line = 1
        var column = 1
        var records: [CSVRecord] = []
        var diagnostics = Diagnostics()

        init(bytes: [UInt8], path: String) {
            self.bytes = bytes
            self.path = path
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        mutating func run() {
            while index < bytes.count {
                let record = readRecord()
                let isBlank = record.cells.count == 1 && record.cells[0].text.isEmpty && !record.quoted
                if !isBlank { records.append(CSVRecord(cells: record.cells, line: record.line)) }
            }
        }

        /// Advances past one byte, keeping line and column right for CR, LF and CRLF.
        mutating func advance() {
            let byte = bytes[index]
            index += 1
            if byte == 0x0A || (byte == 0x0D && (index >= bytes.count || bytes[index] != 0x0A)) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 && byte != 0x0D {
                column += 1
            }
        }

        var atLineEnd: Bool { index < bytes.count && (bytes[index] == 0x0A || bytes[index] == 0x0D) }

        mutating func skipLineEnd() {
            if index < bytes.count, bytes[index] == 0x0D { advance() }
            if index < bytes.count, bytes[index] == 0x0A { advance() }
        }

        mutating func readRecord() -> (cells: [CSVCell], line: Int, quoted: Bool) {
            let startLine = line
            var cells: [CSVCell] = []
            var anyQuoted = false
            while true {
                let (cell, quoted) = readCell()
                anyQuoted = anyQuoted || quoted
                cells.append(cell)
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                    advance()
                    continue
                }
                skipLineEnd()
                return (cells, startLine, anyQuoted)
            }
        }

        mutating func readCell() -> (CSVCell, quoted: Bool) {
            let cellLine = line, cellColumn = column
            var content: [UInt8] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                advance()
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
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
                } else if index < bytes.count, bytes[index] != UInt8(ascii: ","), !atLineEnd {
                    diagnostics.error("unexpected text after the closing quote of a cell", at: SourceLocation(path: path, line: line, column: column))
                    while index < bytes.count, bytes[index] != UInt8(ascii: ","), !atLineEnd { advance() }
                }
                return (makeCell(content, line: cellLine, column: cellColumn), true)
            }
            while index < bytes.count, bytes[index] != UInt8(ascii: ","), !atLineEnd {
                if bytes[index] == UInt8(ascii: "\"") {
                    diagnostics.error("a '\"' inside an unquoted cell; quote the whole cell and double the inner quotes", at: SourceLocation(path: path, line: line, column: column))
                }
                content.append(bytes[index])
                advance()
            }
            return (makeCell(content, line: cellLine, column: cellColumn), false)
        }

        mutating func makeCell(_ content: [UInt8], line: Int, column: Int) -> CSVCell {
            if let text = String(validating: content, as: UTF8.self) {
                return CSVCell(text: text, line: line, column: column)
            }
            diagnostics.error("cell is not valid UTF-8; save the file as UTF-8", at: SourceLocation(path: path, line: line, column: column))
            return CSVCell(text: "", line: line, column: column)
        }
    }
}
