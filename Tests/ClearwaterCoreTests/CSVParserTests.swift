@testable import ClearwaterCore
import Testing

@Suite struct CSVParserTests {
    func parse(_ text: String) -> (CSVTable, Diagnostics) {
        CSVParser().parse(Array(text.utf8), path: "t.csv")
    }

    @Test func readsQuotedCellsAcrossLinesAndKeepsPositions() {
        let (table, diagnostics) = parse("a,b\n\"x\ny\",\"say \"\"hi\"\"\"\nlast,钢铁\n")
        #expect(!diagnostics.hasErrors)
        #expect(table.header?.cells.map(\.text) == ["a", "b"])
        #expect(table.records.count == 2)
        #expect(table.records[0].cells.map(\.text) == ["x\ny", "say \"hi\""])
        #expect(table.records[1].line == 4)
        #expect(table.records[1].cells[1].column == 6)
    }

    @Test func acceptsBOMAndCRLFAndLoneCRAndMissingFinalNewline() {
        let (table, diagnostics) = parse("\u{FEFF}a,b\r\n1,2\r3,4")
        #expect(!diagnostics.hasErrors)
        #expect(table.header?.cells.first?.text == "a")
        #expect(table.records.map { $0.cells.map(\.text) } == [["1", "2"], ["3", "4"]])
        #expect(table.records[1].line == 3)
    }

    @Test func reportsUnclosedQuoteWhereItOpens() {
        let (_, diagnostics) = parse("a,b\n1,\"open\n")
        #expect(diagnostics.errors.map { "\($0.line):\($0.column)" } == ["2:3"])
    }

    @Test func reportsInvalidUTF8InACell() {
        var bytes = Array("a\n".utf8)
        bytes += [0xC4, 0xE3, 0x0A]
        let (_, diagnostics) = CSVParser().parse(bytes, path: "t.csv")
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors.first?.line == 2)
    }

    @Test func headerOnlyAndEmptyFiles() {
        #expect(parse("a,b\n").0.records.isEmpty)
        #expect(parse("").0.header == nil)
    }
}
