import Foundation

/// Table rows for disclosures, shared by the enterprise and pollutant pages.
struct DisclosureRows {
    let environment: PageEnvironment

    func rows(_ disclosures: [Disclosure], withEnterprise: Bool) -> [[String: Any]] {
        let vocabulary = environment.site.vocabulary
        return disclosures.map { disclosure in
            var row: [String: Any] = [
                "year": String(disclosure.year),
                "pollutant": environment.label(vocabulary.pollutants, disclosure.pollutant),
                "medium": environment.label(vocabulary.media, disclosure.medium),
                "amount": NumberFormat.grouped(disclosure.amount.value),
                "unit": disclosure.amount.unit.rawValue,
                "method": environment.label(vocabulary.dischargeMethods, disclosure.method),
                "destination": environment.text(disclosure.destination),
                "limit": disclosure.limit.map(NumberFormat.grouped) ?? "",
                "exceeds": disclosure.exceedsLimit,
                "basis": disclosure.basis.map { environment.t("basis_\($0.rawValue)") } ?? "",
                "source": disclosure.source ?? "",
            ]
            if withEnterprise {
                row["enterprise"] = environment.enterpriseName(disclosure.enterpriseID)
                row["enterpriseHref"] = environment.href(.enterprise(id: disclosure.enterpriseID))
            }
            return row
        }
    }
}
