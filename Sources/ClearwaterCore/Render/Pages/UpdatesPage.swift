/// `/L/updates/`: what changed between builds, newest first, grouped by the day it was found.
struct UpdatesPage {
    /// Enough for a reader; the whole log stays in `data/snapshot.json`.
    static let limit = 1000

    let environment: PageEnvironment

    func context() -> [String: Any] {
        let entries = ChangeText(environment: environment).entries(limit: Self.limit)
        var days: [[String: Any]] = []
        var current: (date: String, items: [[String: Any]])?
        for entry in entries {
            let item: [String: Any] = [
                "number": String(entry.number),
                "enterprise": entry.enterprise,
                "href": entry.sitePath.map(environment.href(sitePath:)) ?? "",
                "headline": entry.headline,
                "detail": entry.detail,
                "kind": entry.change.kind.rawValue,
            ]
            if current?.date == entry.change.date {
                current?.items.append(item)
            } else {
                if let finished = current { days.append(["date": finished.date, "changes": finished.items]) }
                current = (entry.change.date, [item])
            }
        }
        if let finished = current { days.append(["date": finished.date, "changes": finished.items]) }
        return [
            "days": days,
            "hasChanges": !entries.isEmpty,
            "total": String(environment.site.changeLog.count),
            "feedHref": environment.href(sitePath: environment.language + "/feed.xml"),
            "snapshotHref": environment.href(sitePath: Snapshot.path),
        ]
    }
}
