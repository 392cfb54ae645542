/// One entry of the change log: what changed, for which enterprise, on which build day.
/// Names are kept as they were, so an entry still reads right after its enterprise is gone.
public struct Change: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case enterpriseAdded = "enterprise_added"
        case enterpriseRemoved = "enterprise_removed"
        case statusChanged = "status_changed"
        case disclosureAdded = "disclosure_added"
        case disclosureChanged = "disclosure_changed"
        case disclosureRemoved = "disclosure_removed"
        case blacklistListed = "blacklist_listed"
        case blacklistLeft = "blacklist_left"
        case blacklistRemoved = "blacklist_removed"
    }

    /// `YYYY-MM-DD` of the build that found the change.
    public var date: String
    public var kind: Kind
    public var enterpriseID: String
    public var enterpriseName: [String: String]
    public var year: Int?
    public var pollutant: String?
    public var medium: String?
    public var violationID: String?
    /// Status keys, or kilograms as exact decimal text.
    public var before: String?
    public var after: String?

    enum CodingKeys: String, CodingKey {
        case date, kind, year, pollutant, medium, before, after
        case enterpriseID = "enterprise_id"
        case enterpriseName = "enterprise_name"
        case violationID = "violation_id"
    }
}
