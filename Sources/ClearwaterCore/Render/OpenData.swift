import Foundation

/// The open-data files: each dataset as CSV and JSON, with only the contract's declared
/// columns, so a column the bureau added for internal use is never published.
enum OpenData {
    struct Dataset: Sendable {
        let name: String
        let columns: [DatasetColumn]
        /// Columns that identify a row, and columns that point at another dataset's `id`.
        let primaryKey: [String]
        let foreignKeys: [String: String]
        let rowCount: @Sendable (Site) -> Int
        /// Cell texts per row, in `columns` order; `nil` is an absent value. Made one row at a
        /// time as the files are written, never all at once: half a million rows of cells took
        /// hundreds of megabytes.
        let rows: @Sendable (Site) -> AnySequence<[String?]>
    }

    static let datasets: [Dataset] = [
        Dataset(name: "enterprises", columns: EnterprisesDataset.columns, primaryKey: ["id"], foreignKeys: [:], rowCount: { $0.enterprises.count }, rows: { site in
            AnySequence(site.enterprises.lazy.map { e in
                [e.id, e.name["zh"], e.name["en"], e.creditCode, e.district, e.industry, e.status, e.statusSince?.description,
                 e.keyRegulated.map { $0 ? "true" : "false" }, e.address?["zh"], e.address?["en"]]
            })
        }),
        Dataset(name: "disclosures", columns: DisclosuresDataset.columns, primaryKey: ["enterprise_id", "year", "pollutant", "medium"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.disclosures.count }, rows: { site in
            AnySequence(site.disclosures.lazy.map { d in
                [d.enterpriseID, String(d.year), d.pollutant, d.medium, NumberFormat.plain(d.amount.value), d.amount.unit.rawValue, d.method,
                 d.destination?["zh"], d.destination?["en"], d.limit.map(NumberFormat.plain), d.basis?.rawValue, d.source]
            })
        }),
        Dataset(name: "facilities", columns: FacilitiesDataset.columns, primaryKey: ["enterprise_id", "id"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.facilities.count }, rows: { site in
            AnySequence(site.facilities.lazy.map { f in [f.enterpriseID, f.id, f.name["zh"], f.name["en"], f.status, f.since?.description] })
        }),
        Dataset(name: "violations", columns: ViolationsDataset.columns, primaryKey: ["id"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.violations.count }, rows: { site in
            AnySequence(site.violations.lazy.map { v in
                [v.id, v.enterpriseID, v.date.description, v.decisionNumber, v.violation["zh"], v.violation["en"], v.penalty?["zh"], v.penalty?["en"],
                 v.fineYuan?.description, v.listedUntil?.description, v.rectifiedOn?.description, v.response?["zh"], v.response?["en"]]
            })
        }),
        Dataset(name: "targets", columns: TargetsDataset.columns, primaryKey: ["pollutant", "medium", "year", "kind"], foreignKeys: [:], rowCount: { $0.targets.count }, rows: { site in
            AnySequence(site.targets.lazy.map { t in [t.pollutant, t.medium, String(t.year), t.kind.rawValue, NumberFormat.plain(t.kilograms)] })
        }),
    ]

    /// The files `files(for:theme:)` makes.
    static let paths = datasets.flatMap { ["data/\($0.name).csv", "data/\($0.name).json"] } + [DataPackage.path]

    /// Each dataset as CSV and JSON, and the `datapackage.json` that describes them all.
    static func files(for site: Site, theme: Theme) -> [OutputFile] {
        var files: [OutputFile] = []
        for dataset in datasets {
            var table = Table(dataset.columns)
            for row in dataset.rows(site) { table.append(row) }
            let (csv, json) = table.finish()
            files.append(OutputFile(path: "data/\(dataset.name).csv", contents: csv))
            files.append(OutputFile(path: "data/\(dataset.name).json", contents: json))
        }
        files.append(DataPackage(site: site, datasets: datasets, theme: theme).file(describing: files))
        return files
    }

    /// One dataset as CSV and as JSON, written row by row in one pass straight into the bytes the
    /// files are written from: half a million rows through arrays of lines, `joined` and a
    /// final copy cost seconds and three times the files' size in memory.
    struct Table {
        private let columns: [DatasetColumn]
        /// `"name":` of each column, made once rather than per row.
        private let jsonKeys: [[UInt8]]
        private var csv: Data
        private var json: Data
        private var rows = 0

        init(_ columns: [DatasetColumn]) {
            self.columns = columns
            jsonKeys = columns.map { Array((JSONText.quoted($0.name) + ":").utf8) }
            // A byte-order mark, so Excel in China opens the file as UTF-8.
            csv = Data([0xEF, 0xBB, 0xBF])
            json = Data("[\n".utf8)
            Self.appendCSVRow(columns.map(\.name), to: &csv)
        }

        mutating func append(_ row: [String?]) {
            Self.appendCSVRow(row.map { $0 ?? "" }, to: &csv)
            json.append(contentsOf: (rows == 0 ? "  {" : ",\n  {").utf8)
            for (index, (column, value)) in zip(columns, row).enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                json.append(contentsOf: jsonKeys[index])
                switch value {
                case nil: json.append(contentsOf: "null".utf8)
                case let text? where column.type.isJSONLiteral: json.append(contentsOf: text.utf8)
                case let text?: json.append(contentsOf: JSONText.quoted(text).utf8)
                }
            }
            json.append(UInt8(ascii: "}"))
            rows += 1
        }

        /// The JSON document: an array of objects with every declared column, `null` where absent.
        /// Written by hand because JSONEncoder turns `Decimal` into binary floating point on Linux;
        /// here numbers keep the exact digits of the CSV.
        consuming func finish() -> (csv: Data, json: Data) {
            json.append(contentsOf: (rows == 0 ? "]\n" : "\n]\n").utf8)
            return (csv, json)
        }

        /// RFC 4180: CRLF line ends as the RFC says, quotes where a spreadsheet needs them.
        private static func appendCSVRow(_ cells: [String], to csv: inout Data) {
            for (index, cell) in cells.enumerated() {
                if index > 0 { csv.append(UInt8(ascii: ",")) }
                appendCSVCell(cell, to: &csv)
            }
            csv.append(contentsOf: [0x0D, 0x0A])
        }

        /// Looks at UTF-8 bytes: the four special characters and the formula starters are ASCII.
        private static func appendCSVCell(_ text: String, to csv: inout Data) {
            let bytes = text.utf8
            // A leading =, +, - or @ would run as a formula in a spreadsheet.
            let isFormula = bytes.first.map { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@") } ?? false
            let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes || isFormula else {
                csv.append(contentsOf: bytes)
                return
            }
            csv.append(UInt8(ascii: "\""))
            if isFormula { csv.append(UInt8(ascii: "'")) }
            for byte in bytes {
                csv.append(byte)
                if byte == UInt8(ascii: "\"") { csv.append(byte) }
            }
            csv.append(UInt8(ascii: "\""))
        }
    }
}
