import Foundation

/// A row of `enterprises.csv`.
public struct Enterprise: Sendable, Identifiable {
    public let id: String
    public let name: Localized
    public let creditCode: String?
    public let district: String
    public let industry: String
    public let status: String
    public let statusSince: Day?
    public let keyRegulated: Bool?
    public let address: Localized?
}

/// The methods behind a disclosed figure, as the contract names them.
public enum Basis: String, CaseIterable, Sendable {
    case measured, calculated, estimated
}

/// A row of `disclosures.csv`: one enterprise, year, pollutant and medium.
public struct Disclosure: Sendable {
    // Stored in this order, the texts first and the `Decimal`s, aligned to four bytes, with the
    // bytes after them: 144 bytes a row rather than 152, 4 MB of a province's rows.
    public let enterpriseID: String
    public let year: Int
    public let pollutant: String
    public let medium: String
    public let method: String?
    public let destination: Localized?
    public let source: String?
    public let amount: Mass
    /// Permitted amount, in the unit of `amount`.
    public let limit: Decimal?
    public let basis: Basis?
    /// Compared once, when read: pages ask for every row several times, and a `Decimal`
    /// comparison is not cheap.
    public let exceedsLimit: Bool

    init(enterpriseID: String, year: Int, pollutant: String, medium: String, amount: Mass, method: String?,
         destination: Localized?, limit: Decimal?, basis: Basis?, source: String?) {
        (self.enterpriseID, self.year, self.pollutant, self.medium, self.amount) = (enterpriseID, year, pollutant, medium, amount)
        (self.method, self.destination, self.limit, self.basis, self.source) = (method, destination, limit, basis, source)
        exceedsLimit = limit.map { DecimalParts.compare(amount.value, $0) == .orderedDescending } ?? false
    }
}

/// A row of `facilities.csv`.
public struct Facility: Sendable {
    public let enterpriseID: String
    public let id: String
    public let name: Localized
    public let status: String
    public let since: Day?
}

/// A row of `violations.csv`: one blacklist entry.
public struct Violation: Sendable {
    public let id: String
    public let enterpriseID: String
    public let date: Day
    public let decisionNumber: String?
    public let violation: Localized
    public let penalty: Localized?
    public let fineYuan: Decimal?
    public let listedUntil: Day?
    public let rectifiedOn: Day?
    public let response: Localized?

    /// Listed until the end of `listedUntil`, judged on `day`.
    public func isActive(on day: Day) -> Bool {
        guard let listedUntil else { return true }
        return day <= listedUntil
    }
}

/// What a row of `targets.csv` records.
public enum TargetKind: String, CaseIterable, Sendable {
    case baseline, actual, target
}

/// A row of `targets.csv`: one of the plan's city-wide totals.
public struct Target: Sendable {
    public let pollutant: String
    public let medium: String
    public let year: Int
    public let kind: TargetKind
    public let kilograms: Decimal
}
