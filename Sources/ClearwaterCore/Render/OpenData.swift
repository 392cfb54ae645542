import Crypto
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
        /// The cell texts of a row, by its place, in `columns` order; `nil` is an absent value.
        /// One row at a time as the files are written, never all at once: half a million rows
        /// of cells took hundreds of megabytes.
        let cells: @Sendable (Site, Int) -> [String?]
        /// For a dataset published enterprise by enterprise, each enterprise's rows in order:
        /// each run is one `EnterpriseChunks` chunk, copied from the previous build when it is
        /// unchanged.
        var enterpriseRuns: (@Sendable (Site) -> [Site.Ordering.Run])?
    }

    static let datasets: [Dataset] = [
        Dataset(name: "enterprises", columns: EnterprisesDataset.columns, primaryKey: ["id"], foreignKeys: [:], rowCount: { $0.enterprises.count }) { site, index in
            let e = site.enterprises[index]
            return [e.id, e.name["zh"], e.name["en"], e.creditCode, e.district, e.industry, e.status, e.statusSince?.description,
                    e.keyRegulated.map { $0 ? "true" : "false" }, e.address?["zh"], e.address?["en"]]
        },
        Dataset(name: "disclosures", columns: DisclosuresDataset.columns, primaryKey: ["enterprise_id", "year", "pollutant", "medium"], foreignKeys: ["enterprise_id": "enterprises"],
                rowCount: { $0.disclosures.count }, cells: { site, index in
            // Read where it stands: the CSV and the JSON are written on two cores at once, and a
            // copy of each row retained the destination every row shares, on both.
            site.disclosures.withDisclosure(at: index) { row in
                let d = row.pointee
                return [d.enterpriseID, String(d.year), d.pollutant, d.medium, NumberFormat.plain(d.amount.value), d.amount.unit.rawValue, d.method,
                        d.destination?["zh"], d.destination?["en"], d.limit.map(NumberFormat.plain), d.basis?.rawValue, d.source]
            }
        }, enterpriseRuns: \.disclosureRuns),
        Dataset(name: "facilities", columns: FacilitiesDataset.columns, primaryKey: ["enterprise_id", "id"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.facilities.count }) { site, index in
            let f = site.facilities[index]
            return [f.enterpriseID, f.id, f.name["zh"], f.name["en"], f.status, f.since?.description]
        },
        Dataset(name: "violations", columns: ViolationsDataset.columns, primaryKey: ["id"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.violations.count }) { site, index in
            let v = site.violations[index]
            return [v.id, v.enterpriseID, v.date.description, v.decisionNumber, v.violation["zh"], v.violation["en"], v.penalty?["zh"], v.penalty?["en"],
                    v.fineYuan?.description, v.listedUntil?.description, v.rectifiedOn?.description, v.response?["zh"], v.response?["en"]]
        },
        Dataset(name: "targets", columns: TargetsDataset.columns, primaryKey: ["pollutant", "medium", "year", "kind"], foreignKeys: [:], rowCount: { $0.targets.count }) { site, index in
            let t = site.targets[index]
            return [t.pollutant, t.medium, String(t.year), t.kind.rawValue, NumberFormat.plain(t.kilograms)]
        },
    ]

    /// The files `writeCSV` makes, with the package that describes them all, and those `writeJSON` makes:
    /// two jobs that run side by side.
    static let csvPaths = datasets.map { "data/\($0.name).csv" } + [DataPackage.path]
    static let jsonPaths = datasets.map { "data/\($0.name).json" }

    /// Each dataset as CSV, and the `datapackage.json` that describes every file, handed to
    /// `emit` in pieces: at province scale a file runs to a hundred megabytes. Returns where
    /// each enterprise's rows went and the state of each file's SHA-256 along it, for the next
    /// build.
    ///
    /// - Parameter kept: where the previous build's file at a path lies, when it was made from
    ///   the same inputs and is intact: it is kept, not written.
    static func writeCSV(for site: Site, theme: Theme, chunks: EnterpriseChunks, keeping kept: (String) -> String?,
                         to emit: (OutputFile) throws -> Void) throws -> EnterpriseChunks.Made {
        var csvFiles: [String: DataPackage.FileDigest] = [:]
        var made = EnterpriseChunks.Made()
        try withoutActuallyEscaping(emit) { emit in
            for dataset in datasets {
                let path = "data/\(dataset.name).csv"
                // The package gives every file's digest: a kept file's is read where it lies,
                // a few megabytes at most.
                if let file = kept(path), let bytes = FileManager.default.contents(atPath: file) {
                    csvFiles[dataset.name] = DataPackage.FileDigest(bytes: bytes.count, sha256: SHA256.hash(data: bytes).hex)
                    continue
                }
                var csv = PiecewiseFile(path: path, digesting: true, resuming: chunks.hashStates(of: path), emit: emit)
                try Table.csv(dataset, of: site, chunks: chunks, made: &made.ranges, into: &csv)
                let sha256 = try csv.finish() ?? ""
                made.hashStates[path] = csv.hashStates
                csvFiles[dataset.name] = DataPackage.FileDigest(bytes: csv.size, sha256: sha256)
            }
        }
        try emit(DataPackage(site: site, datasets: datasets, theme: theme).file(describing: csvFiles))
        return made
    }

    /// Each dataset as JSON, in pieces like the CSV, bar those `kept`.
    static func writeJSON(for site: Site, chunks: EnterpriseChunks, keeping kept: (String) -> String?, to emit: (OutputFile) throws -> Void) throws -> EnterpriseChunks.Made {
        var made = EnterpriseChunks.Ranges()
        try withoutActuallyEscaping(emit) { emit in
            for dataset in datasets where kept("data/\(dataset.name).json") == nil {
                var json = PiecewiseFile(path: "data/\(dataset.name).json", emit: emit)
                try Table.json(dataset, of: site, chunks: chunks, made: &made, into: &json)
                _ = try json.finish()
            }
        }
        return EnterpriseChunks.Made(ranges: made)
    }

    /// A dataset's rows in the order published: a run of rows per enterprise when it is
    /// published enterprise by enterprise, else one run of them all.
    private static func runs(of dataset: Dataset, in site: Site) -> [(enterpriseID: String?, rows: Range<Int>)] {
        guard let enterpriseRuns = dataset.enterpriseRuns else {
            let count = dataset.rowCount(site)
            return count == 0 ? [] : [(nil, 0..<count)]
        }
        return enterpriseRuns(site).map { ($0.enterpriseID, $0.range) }
    }

    /// One dataset as CSV or as JSON, written row by row straight into the bytes the file is
    /// written from: half a million rows through arrays of lines, `joined` and a final copy
    /// cost seconds and three times the file's size in memory.
    enum Table {
        static func csv(_ dataset: Dataset, of site: Site, chunks: EnterpriseChunks, made: inout EnterpriseChunks.Ranges, into csv: inout PiecewiseFile) throws {
            // A byte-order mark, so Excel in China opens the file as UTF-8.
            try csv.append(contentsOf: [0xEF, 0xBB, 0xBF])
            try appendCSVRow(dataset.columns.map(\.name), to: &csv)
            _ = try appendRuns(of: dataset, in: site, chunks: chunks, made: &made, into: &csv) { rows, csv in
                for index in rows { try appendCSVRow(dataset.cells(site, index), to: &csv) }
            }
        }

        /// An array of objects with every declared column, `null` where absent. Written by hand
        /// because JSONEncoder turns `Decimal` into binary floating point on Linux; here numbers
        /// keep the exact digits of the CSV.
        static func json(_ dataset: Dataset, of site: Site, chunks: EnterpriseChunks, made: inout EnterpriseChunks.Ranges, into json: inout PiecewiseFile) throws {
            // `"name":` of each column, made once rather than per row, all in one buffer read in
            // place (an array per name was retained and released at every cell), and whether
            // its values are bare.
            var nameBytes: [UInt8] = [], nameRanges: [Range<Int>] = []
            for column in dataset.columns {
                let start = nameBytes.count
                nameBytes += (JSONText.quoted(column.name) + ":").utf8
                nameRanges.append(start..<nameBytes.count)
            }
            let isLiteral = dataset.columns.map(\.type.isJSONLiteral)
            try json.append(contentsOf: "[\n".utf8)
            // A run's rows are joined by the separator and runs are joined by it too, so an
            // enterprise's bytes are the same wherever in the file they land.
            let runCount = try nameBytes.withUnsafeBufferPointer { nameBytes in
                try appendRuns(of: dataset, in: site, chunks: chunks, made: &made, into: &json, separatedBy: Array(",\n".utf8)) { rows, json in
                    for index in rows {
                        try json.append(contentsOf: (index == rows.lowerBound ? "  {" : ",\n  {").utf8)
                        for (column, value) in dataset.cells(site, index).enumerated() where column < nameRanges.count {
                            if column > 0 { json.append(UInt8(ascii: ",")) }
                            try json.append(contentsOf: UnsafeBufferPointer(rebasing: nameBytes[nameRanges[column]]))
                            switch value {
                            case nil: try json.append(contentsOf: "null".utf8)
                            case let text? where isLiteral[column]: try json.append(contentsOf: text.utf8)
                            case let text?: try json.append(jsonQuoted: text)
                            }
                        }
                        json.append(UInt8(ascii: "}"))
                    }
                }
            }
            try json.append(contentsOf: (runCount == 0 ? "]\n" : "\n]\n").utf8)
        }

        /// Appends each run of the dataset's rows (`OpenData.runs`), `separator` between runs: an
        /// enterprise's copied from the previous build's file when unchanged, else written by
        /// `write`, and where it went recorded in `made`. Returns how many runs there were.
        private static func appendRuns(of dataset: Dataset, in site: Site, chunks: EnterpriseChunks, made: inout EnterpriseChunks.Ranges,
                                       into file: inout PiecewiseFile, separatedBy separator: [UInt8] = [],
                                       write: (Range<Int>, inout PiecewiseFile) throws -> Void) throws -> Int {
            let previous = chunks.previousFile(file.path)
            let runs = runs(of: dataset, in: site)
            // While every run is copied to where it was, the file so far is the previous one's
            // bytes: the header and separators before are the same program's (chunk keys name
            // it), so the writer need not read those parts back to find them unchanged.
            if let previous { file.followPrevious(previous) }
            var ranges: [ContentDigest: Range<Int>] = [:]
            ranges.reserveCapacity(runs.count)
            for (number, run) in runs.enumerated() {
                let key = run.enterpriseID.flatMap(chunks.key)
                let chunk = key.flatMap { previous?.chunk($0) }
                if chunk?.lowerBound != file.count + (number > 0 ? separator.count : 0) { try file.diverge() }
                if number > 0 { try file.append(contentsOf: separator) }
                let start = file.count
                if let chunk, let previous {
                    try previous.withBytes(in: chunk) { try file.append(contentsOf: $0) }
                } else {
                    try write(run.rows, &file)
                }
                if let key { ranges[key] = start..<file.count }
            }
            if !ranges.isEmpty { made[file.path] = ranges }
            // What follows the runs may stand where the previous file had another run.
            try file.diverge()
            return runs.count
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
            let needsQuotes = bytes.containsByte { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
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
