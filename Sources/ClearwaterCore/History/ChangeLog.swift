import Foundation

/// Compares what the previous build published with what this one publishes.
public enum ChangeLog {
    /// The changes from `previous` to `current`, dated `day`, in a fixed order
    /// (by enterprise, then kind, then year, pollutant and medium); the amounts' differences
    /// as `PublishedAmounts` found them.
    static func changes(from previous: Snapshot, to current: Snapshot, amounts: [DisclosedAmounts.Difference], on day: Day) -> [Change] {
        var changes: [Change] = []
        func change(_ kind: Change.Kind, _ enterpriseID: String, year: Int? = nil, pollutant: String? = nil, medium: String? = nil,
                    violationID: String? = nil, before: String? = nil, after: String? = nil) {
            let name = current.enterprises[enterpriseID]?.name ?? previous.enterprises[enterpriseID]?.name ?? [:]
            changes.append(Change(date: day.description, kind: kind, enterpriseID: enterpriseID, enterpriseName: name, year: year,
                                  pollutant: pollutant, medium: medium, violationID: violationID, before: before, after: after))
        }

        // Usually one table, shared when the previous snapshot held the same enterprises
        // (`Snapshot.readEnterprises`): told equal at once, with nothing to compare.
        if previous.enterprises != current.enterprises {
            for (id, now) in current.enterprises {
                guard let then = previous.enterprises[id] else {
                    change(.enterpriseAdded, id, after: now.status)
                    continue
                }
                if then.status != now.status { change(.statusChanged, id, before: then.status, after: now.status) }
            }
            for (id, then) in previous.enterprises where current.enterprises[id] == nil {
                change(.enterpriseRemoved, id, before: then.status)
            }
        }

        func disclosureChange(_ kind: Change.Kind, _ key: String, before: String? = nil, after: String? = nil) {
            let parts = DisclosureKey(key)
            change(kind, parts.enterpriseID, year: parts.year, pollutant: parts.pollutant, medium: parts.medium, before: before, after: after)
        }
        for difference in amounts {
            switch difference {
            case let .added(now): disclosureChange(.disclosureAdded, now.key, after: now.kilograms)
            case let .changed(then, now): disclosureChange(.disclosureChanged, now.key, before: then.kilograms, after: now.kilograms)
            case let .removed(then): disclosureChange(.disclosureRemoved, then.key, before: then.kilograms)
            }
        }

        for (id, now) in current.blacklist {
            let wasActive = previous.blacklist[id]?.active ?? false
            if now.active && !wasActive { change(.blacklistListed, now.enterpriseID, violationID: id) }
            if !now.active && wasActive { change(.blacklistLeft, now.enterpriseID, violationID: id) }
        }
        for (id, then) in previous.blacklist where current.blacklist[id] == nil {
            change(.blacklistRemoved, then.enterpriseID, violationID: id)
        }

        let kindOrder = Dictionary(uniqueKeysWithValues: Change.Kind.allCases.enumerated().map { ($1, $0) })
        return changes.sorted {
            ($0.enterpriseID, kindOrder[$0.kind] ?? 0, -($0.year ?? 0), $0.pollutant ?? "", $0.medium ?? "", $0.violationID ?? "")
                < ($1.enterpriseID, kindOrder[$1.kind] ?? 0, -($1.year ?? 0), $1.pollutant ?? "", $1.medium ?? "", $1.violationID ?? "")
        }
    }

    /// The parts of a snapshot disclosure key; ids and codes never contain `|`.
    private struct DisclosureKey {
        let enterpriseID: String
        let year: Int?
        let pollutant: String
        let medium: String

        init(_ key: String) {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            enterpriseID = parts.first ?? key
            year = parts.count > 1 ? Int(parts[1]) : nil
            pollutant = parts.count > 2 ? parts[2] : ""
            medium = parts.count > 3 ? parts[3] : ""
        }
    }
}
