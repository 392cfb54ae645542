import Foundation

/// `/L/blacklist/`: active entries first, then the history; entries leave the active list, never the page.
struct BlacklistPage {
    let environment: PageEnvironment

    func context() -> [String: Any] {
        let site = environment.site
        let rows = BlacklistRows(environment: environment)
        return [
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
