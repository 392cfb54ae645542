import Foundation

/// `/L/blacklist/`: active entries first, then the history; entries leave the active list, never the page.
struct BlacklistPage {
    let environment: PageEnvironment

    func context() -> [String: Any] {
        let site = environment.site
        let rows = BlacklistRows(environment: environment)
        let ranks = site.nameRank[environment.language] ?? [:]
        let summary = rows.rows(site.violations, withEnterprise: true).enumerated().map { index, row -> [String: Any] in
            var row = row
            let violation = site.violations[index]
            row["enterpriseRank"] = String(ranks[violation.enterpriseID] ?? 0)
            row["stateKey"] = violation.isActive(on: site.referenceDay) ? "active" : "past"
            row["state"] = environment.t(violation.isActive(on: site.referenceDay) ? "blacklist_state_active" : "blacklist_state_past")
            row["fineSort"] = violation.fineYuan?.description ?? "-1"
            return row
        }
        return [
            "summary": summary,
            "hasEntries": !summary.isEmpty,
            "tableID": "blacklist-table",
            "textFilter": true,
            "filters": [["name": "state", "label": environment.t("blacklist_state"), "options": [
                ["value": "active", "label": environment.t("blacklist_state_active")], ["value": "past", "label": environment.t("blacklist_state_past")],
            ]]],
            "active": rows.rows(site.activeViolations, withEnterprise: true),
            "history": rows.rows(site.pastViolations, withEnterprise: true),
            "csvHref": environment.href(sitePath: "data/violations.csv"),
        ]
    }
}

/// Blacklist entries as table rows, for the blacklist and each enterprise's page.
struct BlacklistRows {
    let environment: PageEnvironment

    func rows(_ violations: [Violation], withEnterprise: Bool) -> [[String: Any]] {
        violations.map { violation in
            var row: [String: Any] = [
                "id": violation.id,
                "date": violation.date.description,
                "decisionNumber": violation.decisionNumber ?? "",
                "violation": environment.text(violation.violation),
                "penalty": environment.text(violation.penalty),
                "fine": violation.fineYuan.map(NumberFormat.grouped) ?? "",
                "listedUntil": violation.listedUntil?.description ?? "",
                "rectifiedOn": violation.rectifiedOn?.description ?? "",
                "response": environment.text(violation.response),
                "active": violation.isActive(on: environment.site.referenceDay),
            ]
            if withEnterprise {
                row["enterprise"] = environment.enterpriseName(violation.enterpriseID)
                row["enterpriseHref"] = environment.href(.enterprise(id: violation.enterpriseID))
            }
            return row
        }
    }
}
