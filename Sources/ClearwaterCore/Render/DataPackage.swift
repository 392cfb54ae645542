import Foundation

/// `data/datapackage.json`: a Frictionless Tabular Data Package describing every open-data
/// file — columns, types, units, keys — with its size and SHA-256, so a researcher's tools
/// can load and verify the files without reading our documentation.
struct DataPackage {
    static let path = "data/datapackage.json"

    let site: Site
    let datasets: [OpenData.Dataset]
    let theme: Theme

    /// What the package says of a CSV file, so its bytes need not be kept until the package is written.
    struct FileDigest {
        let bytes: Int
        let sha256: String
    }

    /// - Parameter csvFiles: each dataset's CSV file, by dataset name.
    func file(describing csvFiles: [String: FileDigest]) -> OutputFile {
        var resources: [[String: Any]] = []
        for dataset in datasets {
            for format in ["csv", "json"] {
                let path = "\(dataset.name).\(format)"
                var resource: [String: Any] = [
                    "profile": "tabular-data-resource",
                    "name": format == "csv" ? dataset.name : "\(dataset.name)-json",
                    "title": theme.strings[language]?["dataset_\(dataset.name)"] ?? dataset.name,
                    "path": path,
                    "format": format,
                    "mediatype": format == "csv" ? "text/csv" : "application/json",
                    "encoding": "utf-8",
                    "schema": schema(dataset),
                ]
                if format == "csv", let csv = csvFiles[dataset.name] {
                    // Size and digest on the CSV only: frictionless-py cannot count the bytes of
                    // a JSON source and would call every JSON resource invalid.
                    resource["bytes"] = csv.bytes
                    resource["hash"] = "sha256:" + csv.sha256
                    resource["dialect"] = ["delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true]
                }
                resources.append(resource)
            }
        }
        let settings = site.settings
        var package: [String: Any] = [
            "profile": "tabular-data-package",
            "name": packageName,
            "title": settings.title.text(in: language, fallbacks: settings.languages),
            "description": settings.description.text(in: language, fallbacks: settings.languages),
            "homepage": settings.baseURL.absolute(""),
            "resources": resources,
        ]
        if let dataAsOf = settings.dataAsOf { package["version"] = dataAsOf.description }
        if settings.illustrativeData {
            package["x_illustrative"] = "Per-enterprise amounts, facilities and violations in this package are illustrative examples, not real disclosures."
        }
        var json: [UInt8] = []
        Self.appendPretty(package, indentation: 0, to: &json)
        json.append(0x0A)
        return OutputFile(path: Self.path, contents: json)
    }

    /// The package as `JSONSerialization` pretty-prints it, keys in code-point order: written
    /// by hand because Foundation's sorted keys go through ICU's collation, 9 ms for this small
    /// file at every row rebuild (its CSV's digest changes), and `JSONEncoder` takes no `Any`.
    private static func appendPretty(_ value: Any, indentation: Int, to json: inout [UInt8]) {
        func newLine(_ depth: Int) {
            json.append(0x0A)
            json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        }
        func appendItems<Item>(_ items: [Item], open: Character, close: Character, _ appendItem: (Item) -> Void) {
            json.append(contentsOf: String(open).utf8)
            for (index, item) in items.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                newLine(indentation + 1)
                appendItem(item)
            }
            // An empty list or object keeps its blank line, as Foundation writes it.
            if items.isEmpty { json.append(0x0A) }
            newLine(indentation)
            json.append(contentsOf: String(close).utf8)
        }
        switch value {
        case let text as String:
            JSONText.append(quoted: text, to: &json)
        case let flag as Bool:
            json.append(contentsOf: (flag ? "true" : "false").utf8)
        case let number as Int:
            json.appendDecimal(number)
        case let object as [String: Any]:
            appendItems(object.sorted { $0.key < $1.key }, open: "{", close: "}") { member in
                JSONText.append(quoted: member.key, to: &json)
                json.append(contentsOf: " : ".utf8)
                appendPretty(member.value, indentation: indentation + 1, to: &json)
            }
        case let list as [Any]:
            appendItems(list, open: "[", close: "]") { appendPretty($0, indentation: indentation + 1, to: &json) }
        default:
            JSONText.append(quoted: String(describing: value), to: &json)
        }
    }

    /// English where the site has it: the lingua franca of data tools.
    private var language: String { site.settings.languages.contains("en") ? "en" : site.settings.defaultLanguage }

    private func schema(_ dataset: OpenData.Dataset) -> [String: Any] {
        let fields = dataset.columns.map { column -> [String: Any] in
            var field: [String: Any] = ["name": column.name, "type": column.type.rawValue, "description": column.description]
            var constraints: [String: Any] = [:]
            if column.required { constraints["required"] = true }
            if let vocabulary = column.vocabulary { constraints["enum"] = site.vocabulary[vocabulary].keys }
            if column.type == .number || column.type == .integer { constraints["minimum"] = 0 }
            if !constraints.isEmpty { field["constraints"] = constraints }
            if column.type == .boolean {
                field["trueValues"] = ["true"]
                field["falseValues"] = ["false"]
            }
            if let unit = column.unit { field["unit"] = unit }
            return field
        }
        var schema: [String: Any] = ["fields": fields, "primaryKey": dataset.primaryKey, "missingValues": [""]]
        if !dataset.foreignKeys.isEmpty {
            schema["foreignKeys"] = dataset.foreignKeys.sorted { $0.key < $1.key }.map { column, target in
                ["fields": column, "reference": ["resource": target, "fields": "id"]]
            }
        }
        return schema
    }

    /// Frictionless names are lower-case ASCII; the site's own address is the one name it surely owns.
    private var packageName: String {
        let address = site.settings.baseURL.absolute("").split(separator: "/", omittingEmptySubsequences: true).dropFirst().joined(separator: "-")
        let name = address.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? String($0) : "-" }.joined()
        return name.split(separator: "-").joined(separator: "-")
    }
}
