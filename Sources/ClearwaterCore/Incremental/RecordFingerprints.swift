import Foundation

extension Enterprise: StablyHashable {
    func add(to hash: inout StableHash) {
        hash.add(id); hash.add(name); hash.add(creditCode); hash.add(district); hash.add(industry)
        hash.add(status); hash.add(statusSince); hash.add(keyRegulated); hash.add(address)
    }
}

extension Facility: StablyHashable {
    func add(to hash: inout StableHash) {
        hash.add(enterpriseID); hash.add(id); hash.add(name); hash.add(status); hash.add(since)
    }
}

extension Violation: StablyHashable {
    func add(to hash: inout StableHash) {
        hash.add(id); hash.add(enterpriseID); hash.add(date); hash.add(decisionNumber); hash.add(violation)
        hash.add(penalty); hash.add(fineYuan); hash.add(listedUntil); hash.add(rectifiedOn); hash.add(response)
    }
}

extension Target: StablyHashable {
    func add(to hash: inout StableHash) {
        hash.add(pollutant); hash.add(medium); hash.add(year); hash.add(kind.rawValue); hash.add(kilograms)
    }
}

extension PageVersion: StablyHashable {
    /// Not the source path: only error messages show it, and it changes with the way the content
    /// folder is named on the command line (`Content` or `/srv/site/Content`), which made every
    /// Markdown page again.
    func add(to hash: inout StableHash) {
        hash.add(language); hash.add(title); hash.add(summary); hash.add(weight); hash.add(date); hash.add(html)
    }
}

extension Change: StablyHashable {
    func add(to hash: inout StableHash) {
        hash.add(date); hash.add(kind.rawValue); hash.add(enterpriseID); hash.add(Localized(enterpriseName)); hash.add(year)
        hash.add(pollutant); hash.add(medium); hash.add(violationID); hash.add(before); hash.add(after)
    }
}
