import Foundation

/// A change-log entry in words of one language, for the updates page, the feed and the home page.
struct ChangeText {
    let environment: PageEnvironment

    struct Entry {
        /// The change's permanent number: its position in the log, from 1.
        let number: Int
        let change: Change
        let enterprise: String
        /// Where the change can be seen, below the site root; `nil` when the enterprise is gone.
        let sitePath: String?
        let headline: String
        let detail: String
    }

    /// The log newest first, at most `limit` entries.
    func entries(limit: Int) -> [Entry] {
        let log = environment.site.changeLog
        return log.indices.reversed().prefix(limit).map { entry(log[$0], number: $0 + 1) }
    }

    func entry(_ change: Change, number: Int) -> Entry {
        let site = environment.site
        let vocabulary = site.vocabulary
        let name = Localized(change.enterpriseName).text(in: environment.language, fallbacks: environment.languages)
        let exists = site.enterpriseByID[change.enterpriseID] != nil
        let enterprisePath = exists ? environment.router.route(.enterprise(id: change.enterpriseID), in: environment.language).path : nil
        let blacklistPath = environment.router.route(.blacklist, in: environment.language).path + "#violation-" + (change.violationID ?? "")
        let subject = [change.year.map(String.init), environment.label(vocabulary.pollutants, change.pollutant), environment.label(vocabulary.media, change.medium)]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        let status = { (key: String?) in environment.label(vocabulary.statuses, key) }
        let (sitePath, detail): (String?, String) = switch change.kind {
        case .enterpriseAdded: (enterprisePath, status(change.after))
        case .enterpriseRemoved: (nil, status(change.before))
        case .statusChanged: (enterprisePath, "\(status(change.before)) → \(status(change.after))")
        case .disclosureAdded: (enterprisePath, "\(subject): \(kilograms(change.after)) kg")
        case .disclosureChanged: (enterprisePath, "\(subject): \(kilograms(change.before)) kg → \(kilograms(change.after)) kg")
        case .disclosureRemoved: (enterprisePath, "\(subject): \(kilograms(change.before)) kg")
        case .blacklistListed, .blacklistLeft: (blacklistPath, change.violationID ?? "")
        case .blacklistRemoved: (exists ? enterprisePath : nil, change.violationID ?? "")
        }
        return Entry(number: number, change: change, enterprise: name, sitePath: sitePath,
                     headline: environment.t("change_" + change.kind.rawValue), detail: detail)
    }

    private func kilograms(_ text: String?) -> String {
        text.flatMap { Decimal(string: $0) }.map(NumberFormat.kilograms) ?? "–"
    }
}
