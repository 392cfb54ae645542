/// `/L/data/`: every published dataset, with its columns, as CSV and JSON downloads.
struct OpenDataPage {
    let environment: PageEnvironment

    func context() -> [String: Any] {
        [
            "datasets": OpenData.datasets.map { dataset -> [String: Any] in
                [
                    "name": dataset.name,
                    "title": environment.t("dataset_\(dataset.name)"),
                    "rows": String(dataset.rowCount(environment.site)),
                    "csvHref": environment.href(sitePath: "data/\(dataset.name).csv"),
                    "jsonHref": environment.href(sitePath: "data/\(dataset.name).json"),
                    // Listed apart from the table, one name to an item: in a table cell the
                    // longest names pushed it past a phone's screen.
                    "columnNames": dataset.columns.map(\.name),
                ]
            },
            "packageHref": environment.href(sitePath: DataPackage.path),
        ]
    }
}
