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
                    "columns": dataset.columns.map(\.name).joined(separator: ", "),
                ]
            },
        ]
    }
}
