import Foundation

/// What the record digests (`RouteInputs.RecordDigests`) take from `enterprises.csv` and
/// `facilities.csv`: each enterprise's own row with its facilities, digested, in the order of
/// `Site.enterprises`, and every enterprise's own row in one digest.
///
/// Kept with the decoded datasets (`DecodedDatasets`) under the facilities' digest, which covers
/// the enterprises' text too: a bureau's edits are mostly disclosures, and hashing a province's
/// 30,000 enterprise and facility rows again was most of making the record digests, at every
/// rebuild, on the path the rendering waits for.
struct EnterpriseParts: Sendable, Equatable {
    /// By the enterprise's place in `Site.enterprises`.
    let own: [ContentDigest]
    let all: ContentDigest

    init(own: [ContentDigest], all: ContentDigest) {
        (self.own, self.all) = (own, all)
    }

    /// Each enterprise's fields written once, into its own digest and into all enterprises', in
    /// one buffer that serves every enterprise in turn.
    init(site: Site) {
        var all = StableHash(), one = StableHash()
        all.add(site.enterprises.count)
        own = site.enterprises.indices.map { index in
            one.removeAll()
            site.enterprises[index].add(to: &one)
            all.add(fieldsOf: one)
            one.add(site.facilitiesByEnterprise[site.enterprises[index].id] ?? [])
            return one.digest
        }
        self.all = all.digest
    }

    /// Kept parts when they are the site's (as many as its enterprises), else made from it.
    init(site: Site, kept: EnterpriseParts?) {
        if let kept, kept.own.count == site.enterprises.count {
            self = kept
        } else {
            self.init(site: site)
        }
    }
}
