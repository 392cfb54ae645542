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
        /// Hands each row's cell texts, in `columns` order, to the closure; `nil` is an absent
        /// value. One row at a time as the files are written, never all at once: half a million
        /// rows of cells took hundreds of megabytes.
        let rows: @Sendable (Site, ([String?]) throws -> Void) throws -> Void
    }

    static let datasets: [Dataset] = [
        Dataset(name: "enterprises", columns: EnterprisesDataset.columns, primaryKey: ["id"], foreignKeys: [:], rowCount: { $0.enterprises.count }, rows: { site, row in
            for e in site.enterprises {
                try row([e.id, e.name["zh"], e.name["en"], e.creditCode, e.district, e.industry, e.status, e.statusSince?.description,
                         e.keyRegulated.map { $0 ? "true" : "false" }, e.address?["zh"], e.address?["en"]])
            }
        }),
        Dataset(name: "disclosures", columns: DisclosuresDataset.columns, primaryKey: ["enterprise_id", "year", "pollutant", "medium"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.disclosures.count }, rows: { site, row in
            for d in site.disclosures {
                try row([d.enterpriseID, String(d.year), d.pollutant, d.medium, NumberFormat.plain(d.amount.value), d.amount.unit.rawValue, d.method,
                         d.destination?["zh"], d.destination?["en"], d.limit.map(NumberFormat.plain), d.basis?.rawValue, d.source])
            }
        }),
        Dataset(name: "facilities", columns: FacilitiesDataset.columns, primaryKey: ["enterprise_id", "id"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.facilities.count }, rows: { site, row in
            for f in site.facilities { try row([f.enterpriseID, f.id, f.name["zh"], f.name["en"], f.status, f.since?.description]) }
        }),
        Dataset(name: "violations", columns: ViolationsDataset.columns, primaryKey: ["id"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.violations.count }, rows: { site, row in
            for v in site.violations {
                try row([v.id, v.enterpriseID, v.date.description, v.decisionNumber, v.violation["zh"], v.violation["en"], v.penalty?["zh"], v.penalty?["en"],
                         v.fineYuan?.description, v.listedUntil?.description, v.rectifiedOn?.description, v.response?["zh"], v.response?["en"]])
            }
        }),
        Dataset(name: "targets", columns: TargetsDataset.columns, primaryKey: ["pollutant", "medium", "year", "kind"], foreignKeys: [:], rowCount: { $0.targets.count }, rows: { site, row in
            for t in site.targets { try row([t.pollutant, t.medium, String(t.year), t.kind.rawValue, NumberFormat.plain(t.kilograms)]) }
        }),
    ]

    /// The files `writeCSV` makes, with the package that describes them all, and those `writeJSON` makes:
    /// two jobs that run side by side.
    static let csvPaths = datasets.map { "data/\($0.name).csv" } + [DataPackage.path]
    static let jsonPaths = datasets.map { "data/\($0.name).json" }

    /// Each dataset as CSV, and the `datapackage.json` that describes every file, handed to
    /// `emit` in pieces: at province scale a file runs to a hundred megabytes.
    static func writeCSV(for site: Site, theme: Theme, to emit: (OutputFile) throws -> Void) throws {
        var csvFiles: [String: DataPackage.FileDigest] = [:]
        try withoutActuallyEscaping(emit) { emit in
            for dataset in datasets {
                var csv = PiecewiseFile(path: "data/\(dataset.name).csv", digesting: true, emit: emit)
                try Table.csv(dataset, of: site, into: &csv)
                let sha256 = try csv.finish() ?? ""
                csvFiles[dataset.name] = DataPackage.FileDigest(bytes: csv.size, sha256: sha256)
            }
        }
        try emit(DataPackage(site: site, datasets: datasets, theme: theme).file(describing: csvFiles))
    }

    /// Each dataset as JSON, in pieces like the CSV.
    static func writeJSON(for site: Site, to emit: (OutputFile) throws -> Void) throws {
        try withoutActuallyEscaping(emit) { emit in
            for dataset in datasets {
                var json = PiecewiseFile(path: "data/\(dataset.name).json", emit: emit)
                try Table.json(dataset, of: site, into: &json)
                _ = try json.finish()
            }
        }
    }

    /// One dataset as CSV or as JSON, written row by row straight into the bytes the file is
    /// written from: half a million rows through arrays of lines, `joined` and a final copy
    /// cost seconds and three times the file's size in memory.
    enum Table {
        static func csv(_ dataset: Dataset, of site: Site, into csv: inout PiecewiseFile) throws {
            // A byte-order mark, so Excel in China opens the file as UTF-8.
            try csv.append(contentsOf: [0xEF, 0xBB, 0xBF])
            try appendCSVRow(dataset.columns.map(\.name), to: &csv)
            try dataset.rows(site) { try appendCSVRow($0, to: &csv) }
        }

        /// An array of objects with every declared column, `null` where absent. Written by hand
        /// because JSONEncoder turns `Decimal` into binary floating point on Linux; here numbers
        /// keep the exact digits of the CSV.
        static func json(_ dataset: Dataset, of site: Site, into json: inout PiecewiseFile) throws {
            // `"name":` of each column, made once rather than per row, all in one buffer read in
            // place (an array per name was retained and released at every cell), and whether
            // its values are bare.
            let names = dataset.columns.map { Array((JSONText.quoted($0.name) + ":").utf8) }
            let nameBytes = names.flatMap { $0 }
            let nameRanges = names.indices.map { index in
                let start = names[..<index].reduce(0) { $0 + $1.count }
                return start..<(start + names[index].count)
            }
            let isLiteral = dataset.columns.map(\.type.isJSONLiteral)
            try json.append(contentsOf: "[\n".utf8)
            var count = 0
            try nameBytes.withUnsafeBufferPointer { nameBytes in
                try dataset.rows(site) { row in
                    try json.append(contentsOf: (count == 0 ? "  {" : ",\n  {").utf8)
                    for (index, value) in row.enumerated() where index < nameRanges.count {
                        if index > 0 { json.append(UInt8(ascii: ",")) }
                        try json.append(contentsOf: UnsafeBufferPointer(rebasing: nameBytes[nameRanges[index]]))
                        switch value {
                        case nil: try json.append(contentsOf: "null".utf8)
                        case let text? where isLiteral[index]: try json.append(contentsOf: text.utf8)
                        case let text?: try json.append(jsonQuoted: text)
                        }
                    }
                    json.append(UInt8(ascii: "}"))
                    count += 1
                }
            }
            try json.append(contentsOf: (count == 0 ? "]\n" : "\n]\n").utf8)
        }

        /// RFC 4180: CRLF line ends as the RFC says, quotes where a spreadsheet needs them.
        private static func appendCSVRow(_ cells: [String?], to csv: inout PiecewiseFile) throws {
            for (index, cell) in cells.enumerated() {
                if index > 0 { csv.append(UInt8(ascii: ",")) }
                if let cell { try appendCSVCell(cell, to: &csv) }
            }
            try csv.append(contentsOf: [0x0D, 0x0A])
        }

        /// Looks at UTF-8 bytes: the four special characters and the formula starters are ASCII.
        private static func appendCSVCell(_ text: String, to csv: inout PiecewiseFile) throws {
            let bytes = text.utf8
            // A leading =, +, - or @ would run as a formula in a spreadsheet.
            let isFormula = bytes.first.map { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@") } ?? false
            let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes || isFormula else {
                try csv.append(contentsOf: bytes)
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
