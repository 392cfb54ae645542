@testable import ClearwaterCore
import Testing

@Suite struct CSVReaderTests {
    /// The header and the records after it, as a dataset reads them.
    func parse(_ text: String) -> (header: CSVRecord?, records: [CSVRecord], diagnostics: Diagnostics) {
        parse(Array(text.utf8))
    }

    func parse(_ bytes: [UInt8]) -> (header: CSVRecord?, records: [CSVRecord], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        var reader = CSVReader(bytes: bytes, path: "t.csv")
        let header = reader.next(&diagnostics)
        var records: [CSVRecord] = []
        while let record = reader.next(&diagnostics) { records.append(record) }
        return (header, records, diagnostics)
    }

    @Test func readsQuotedCellsAcrossLinesAndKeepsPositions() {
        let (header, records, diagnostics) = parse("a,b\n\"x\ny\",\"say \"\"hi\"\"\"\nlast,钢铁\n")
        #expect(!diagnostics.hasErrors)
        #expect(header?.cells.map(\.text) == ["a", "b"])
        #expect(records.count == 2)
        #expect(records[0].cells.map(\.text) == ["x\ny", "say \"hi\""])
        #expect(records[1].line == 4)
        #expect(records[1].cells[1].column == 6)
    }

    /// Quoted cells without doubled quotes or line breaks, read as their bytes lie, give the
    /// texts and positions that reading them byte by byte gives, and text after a closing
    /// quote is still reported where it stands.
    @Test func plainQuotedCellsKeepTheirPositions() {
        let (_, records, diagnostics) = parse("a,b,c\n\"x, y\",\"宽 字\",z\n\"q\",\"w\"x,e\n\"end\"")
        #expect(records.map { $0.cells.map(\.text) } == [["x, y", "宽 字", "z"], ["q", "w", "e"], ["end"]])
        #expect(records.map { $0.cells.map(\.column) } == [[1, 8, 14], [1, 5, 10], [1]])
        #expect(records.map(\.line) == [2, 3, 4])
        #expect(diagnostics.errors.map { "\($0.line):\($0.column)" } == ["3:8"])
    }

    @Test func acceptsBOMAndCRLFAndLoneCRAndMissingFinalNewline() {
        let (header, records, diagnostics) = parse("\u{FEFF}a,b\r\n1,2\r3,4")
        #expect(!diagnostics.hasErrors)
        #expect(header?.cells.first?.text == "a")
        #expect(records.map { $0.cells.map(\.text) } == [["1", "2"], ["3", "4"]])
        #expect(records[1].line == 3)
    }

    @Test func reportsUnclosedQuoteWhereItOpens() {
        let (_, _, diagnostics) = parse("a,b\n1,\"open\n")
        #expect(diagnostics.errors.map { "\($0.line):\($0.column)" } == ["2:3"])
    }

    @Test func reportsInvalidUTF8InACell() {
        var bytes = Array("a\n".utf8)
        bytes += [0xC4, 0xE3, 0x0A]
        let (_, _, diagnostics) = parse(bytes)
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors.first?.line == 2)
    }

    @Test func headerOnlyAndEmptyFiles() {
        #expect(parse("a,b\n").records.isEmpty)
        #expect(parse("").header == nil)
    }

    /// Two halves read at once must give the records, lines, columns and errors one reader
    /// gives: also when quoted cells hold line breaks, a stray quote misleads the split,
    /// or lines end in CR alone.
    static let splitBodies: [String] = {
        let quotedLineBreaks: [String] = (0..<400).map { "r\($0),\"two\nlines\",\"say \"\"\($0)\"\"\"" }
        let strayQuote: [String] = (0..<400).map { $0 == 100 ? "r\($0),a\"b,x" : "r\($0),\"q\nq\",x" }
        let unclosedQuote: [String] = (0..<400).map { $0 == 150 ? "r\($0),\"open,x" : "r\($0),y,\"z\"" }
        let short: [String] = (0..<3).map { "r\($0),钢,铁" }
        return [quotedLineBreaks.joined(separator: "\n"), strayQuote.joined(separator: "\r\n"),
                unclosedQuote.joined(separator: "\r"), short.joined(separator: "\n") + "\n\n\n"]
    }()

    @Test(arguments: splitBodies)
    func twoHalvesReadAsOneReaderReads(body: String) {
        let bytes = Array(("a,b,c\n" + body).utf8)
        var expected = Diagnostics()
        let table = DataTable(utf8: bytes, path: "t.csv", columns: [], today: Day("2021-01-01")!, diagnostics: &expected)
        var whole = table.rows()
        var records: [CSVRecord] = []
        while let row = whole.next(&expected) { records.append(row.record) }
        let (first, second) = table.readInHalves { rows -> ([CSVRecord], Diagnostics) in
            var diagnostics = Diagnostics()
            var records: [CSVRecord] = []
            while let row = rows.next(&diagnostics) { records.append(row.record) }
            return (records, diagnostics)
        }
        #expect(records.count > 1)
        #expect(first.0 + second.0 == records)
        let halves = (first.1.all + second.1.all).map { "\($0.line):\($0.column) \($0.message)" }
        #expect(halves == expected.all.map { "\($0.line):\($0.column) \($0.message)" })
    }
}
