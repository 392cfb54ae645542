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
        /// Cell texts per row, in `columns` order; `nil` is an absent value.
        let rows: @Sendable (Site) -> [[String?]]
    }

    static let datasets: [Dataset] = [
        Dataset(name: "enterprises", columns: EnterprisesDataset.columns, primaryKey: ["id"], foreignKeys: [:], rowCount: { $0.enterprises.count }, rows: { site in
            site.enterprises.map { e in
                [e.id, e.name["zh"], e.name["en"], e.creditCode, e.district, e.industry, e.status, e.statusSince?.description,
                 e.keyRegulated.map { $0 ? "true" : "false" }, e.address?["zh"], e.address?["en"]]
            }
        }),
        Dataset(name: "disclosures", columns: DisclosuresDataset.columns, primaryKey: ["enterprise_id", "year", "pollutant", "medium"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.disclosures.count }, rows: { site in
            site.disclosures.map { d in
                [d.enterpriseID, String(d.year), d.pollutant, d.medium, d.amount.value.description, d.amount.unit.rawValue, d.method,
                 d.destination?["zh"], d.destination?["en"], d.limit?.description, d.basis?.rawValue, d.source]
            }
        }),
        Dataset(name: "facilities", columns: FacilitiesDataset.columns, primaryKey: ["enterprise_id", "id"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.facilities.count }, rows: { site in
            site.facilities.map { f in [f.enterpriseID, f.id, f.name["zh"], f.name["en"], f.status, f.since?.description] }
        }),
        Dataset(name: "violations", columns: ViolationsDataset.columns, primaryKey: ["id"], foreignKeys: ["enterprise_id": "enterprises"], rowCount: { $0.violations.count }, rows: { site in
            site.violations.map { v in
                [v.id, v.enterpriseID, v.date.description, v.decisionNumber, v.violation["zh"], v.violation["en"], v.penalty?["zh"], v.penalty?["en"],
                 v.fineYuan?.description, v.listedUntil?.description, v.rectifiedOn?.description, v.response?["zh"], v.response?["en"]]
            }
        }),
        Dataset(name: "targets", columns: TargetsDataset.columns, primaryKey: ["pollutant", "medium", "year", "kind"], foreignKeys: [:], rowCount: { $0.targets.count }, rows: { site in
            site.targets.map { t in [t.pollutant, t.medium, String(t.year), t.kind.rawValue, t.kilograms.description] }
        }),
    ]

    /// Each dataset as CSV and JSON, and the `datapackage.json` that describes them all.
    static func files(for site: Site, theme: Theme) -> [OutputFile] {
        var files: [OutputFile] = []
        for dataset in datasets {
            let rows = dataset.rows(site)
            files.append(OutputFile(path: "data/\(dataset.name).csv", contents: Data(csv(columns: dataset.columns.map(\.name), rows: rows).utf8)))
            files.append(OutputFile(path: "data/\(dataset.name).json", contents: Data(json(dataset, rows: rows).utf8)))
        }
        files.append(DataPackage(site: site, datasets: datasets, theme: theme).file(describing: files))
        return files
    }

    /// RFC 4180 with a BOM so Excel in China opens it as UTF-8; CRLF line ends as the RFC says.
    static func csv(columns: [String], rows: [[String?]]) -> String {
        // Looks at UTF-8 bytes: the four special characters and the formula starters are ASCII,
        // and half a million cells through Character comparisons and Foundation were a tenth of a rebuild.
        func quote(_ text: String) -> String {
            let bytes = text.utf8
            // A leading =, +, - or @ would run as a formula in a spreadsheet.
            let isFormula = bytes.first.map { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@") } ?? false
            let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes || isFormula else { return text }
            let escaped = bytes.contains(UInt8(ascii: "\"")) ? text.replacingOccurrences(of: "\"", with: "\"\"") : text
            return "\"" + (isFormula ? "'" : "") + escaped + "\""
        }
        var lines = [columns.map(quote).joined(separator: ",")]
        for row in rows { lines.append(row.map { quote($0 ?? "") }.joined(separator: ",")) }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// An array of objects with every declared column, `null` where absent. Written by hand
    /// because JSONEncoder turns `Decimal` into binary floating point on Linux; here
    /// numbers keep the exact digits of the CSV.
    static func json(_ dataset: Dataset, rows: [[String?]]) -> String {
        let objects = rows.map { row in
            let fields = zip(dataset.columns, row).map { column, value -> String in
                let encoded: String
                switch value {
                case nil: encoded = "null"
                case let text? where column.type.isJSONLiteral: encoded = text
                case let text?: encoded = jsonString(text)
                }
                return "\(jsonString(column.name)):\(encoded)"
            }
            return "  {" + fields.joined(separator: ",") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + (objects.isEmpty ? "]\n" : "\n]\n")
    }

    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "<": result += "\\u003c"
            case ">": result += "\\u003e"
            case "&": result += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
