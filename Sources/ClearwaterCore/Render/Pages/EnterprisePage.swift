import Foundation

/// `/L/enterprises/ID/`: status, disclosures by year, facilities and blacklist entries of one enterprise.
struct EnterprisePage {
    let environment: PageEnvironment
    let enterprise: Enterprise

    func context() -> [String: Any] {
        let site = environment.site
        let vocabulary = site.vocabulary
        let disclosures = Array(site.disclosures(of: enterprise.id))
        let otherNames = environment.languages.filter { $0 != environment.language }
            .map { enterprise.name.text(in: $0) }
            .filter { $0 != environment.text(enterprise.name) }
        let facilities = site.facilitiesByEnterprise[enterprise.id] ?? []
        return [
            "name": environment.text(enterprise.name),
            "otherName": otherNames.first ?? "",
            "creditCode": enterprise.creditCode ?? "",
            "district": environment.label(vocabulary.districts, enterprise.district),
            "industry": environment.label(vocabulary.industries, enterprise.industry),
            "status": environment.label(vocabulary.statuses, enterprise.status),
            "statusKey": enterprise.status,
            "statusSince": enterprise.statusSince?.description ?? "",
            "keyRegulated": environment.yesNo(enterprise.keyRegulated),
            "address": environment.text(enterprise.address),
            "directoryHref": environment.href(.enterprises),
            "chart": Charts(environment: environment).perPollutantByYear(disclosures, id: "chart-by-year").context(),
            "yearly": YearlyTotals(environment: environment).rows(disclosures),
            "media": vocabulary.media.keys.map { ["label": environment.label(vocabulary.media, $0)] },
            "disclosures": DisclosureRows(environment: environment).table(disclosures),
            "hasDisclosures": !disclosures.isEmpty,
            "hasFacilities": !facilities.isEmpty,
            "facilities": facilities.map { facility in
                [
                    "name": environment.text(facility.name),
                    "status": environment.label(vocabulary.facilityStatuses, facility.status),
                    "statusKey": facility.status,
                    "since": facility.since?.description ?? "",
                ]
            },
            "violations": BlacklistRows(environment: environment).rows(site.violationsByEnterprise[enterprise.id] ?? [], withEnterprise: false),
        ]
    }
}
