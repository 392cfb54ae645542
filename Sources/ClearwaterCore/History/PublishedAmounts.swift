import Foundation

/// The amounts a site publishes, enterprise by enterprise: how its snapshot writes them, and
/// how a build finds which changed since the previous snapshot.
///
/// A snapshot lists every amount under its key, `enterprise|year|pollutant|medium`, in key
/// order, so each enterprise's amounts stand together: its part of the file. As with the open
/// data's rows (`EnterpriseChunks`), a part whose enterprise's records are unchanged is copied
/// from the previous snapshot, and only the parts of enterprises whose records changed are
/// made and compared with what the previous snapshot held for them: at province scale, making,
/// reading and comparing half a million amounts was a tenth of a rebuild after one changed row.
struct PublishedAmounts: Sendable {
    private let disclosures: Site.Selection
    /// Each enterprise's disclosures in `disclosures`, with its part's key, in the order of
    /// the amounts' keys: an id that begins another (`e1`, `e1a`) sorts before it as an id,
    /// after it as a key (`e1a|…` comes before `e1|…`).
    private let parts: [Part]

    private struct Part: Sendable {
        let id: String
        let range: Range<Int>
        let key: ContentDigest?
    }

    /// - Parameter key: the key of an enterprise's part (`EnterpriseChunks.key`).
    init(site: Site, key: (String) -> ContentDigest?) {
        disclosures = site.disclosures
        let parts = site.disclosureRuns.map { run in (prefix: Array((run.enterpriseID + "|").utf8), part: Part(id: run.enterpriseID, range: run.range, key: key(run.enterpriseID))) }
        self.parts = parts.sorted { $0.prefix.lexicographicallyPrecedes($1.prefix) }.map(\.part)
    }

    /// The amounts of the enterprises whose parts `including` picks, in key order.
    private func amounts(including: (Part) -> Bool = { _ in true }) -> DisclosedAmounts {
        DisclosedAmounts { amounts in
            for part in parts where including(part) { append(part, to: &amounts) }
        }
    }

    private func append(_ part: Part, to amounts: inout DisclosedAmounts) {
        for disclosure in disclosures[part.range] {
            amounts.append { Self.appendKey(of: disclosure, to: &$0) } kilograms: { $0 += NumberFormat.plain(disclosure.amount.kilograms).utf8 }
        }
        amounts.closeGroup(sharing: part.id.utf8.count + 1)
    }

    /// `enterprise_id|year|pollutant|medium`, straight into the amounts' buffer.
    private static func appendKey(of disclosure: Disclosure, to bytes: inout [UInt8]) {
        bytes += disclosure.enterpriseID.utf8
        bytes.append(UInt8(ascii: "|"))
        bytes += String(disclosure.year).utf8
        bytes.append(UInt8(ascii: "|"))
        bytes += disclosure.pollutant.utf8
        bytes.append(UInt8(ascii: "|"))
        bytes += disclosure.medium.utf8
    }

    /// What changed since `previous`: part by part when its file's parts are known from the
    /// previous build (`parts`), where an unchanged key means unchanged amounts; otherwise
    /// amount by amount, and `previous` must then have been read with its amounts.
    func differences(from previous: Snapshot, parts previousParts: EnterpriseChunks.PreviousFile?) throws -> [DisclosedAmounts.Difference] {
        guard let previousParts else {
            guard let amounts = previous.disclosures else { throw PartsGone() }
            return self.amounts().differences(from: amounts)
        }
        let keys = Set(parts.compactMap(\.key))
        // What the previous snapshot held for enterprises whose records changed or are gone.
        var before = [UInt8(ascii: "{")]
        for key in previousParts.keys(where: { !keys.contains($0) }) {
            if before.count > 1 { before.append(UInt8(ascii: ",")) }
            guard previousParts.withBytes(ofChunk: key, { before += $0 }) != nil else { throw PartsGone() }
        }
        before.append(UInt8(ascii: "}"))
        var reader = JSONReader(before)
        let then = try DisclosedAmounts(reading: &reader)
        return amounts { part in part.key.map { !previousParts.lists(chunk: $0) } ?? true }.differences(from: then)
    }

    /// The previous snapshot's parts could not be read back, though its build recorded them.
    struct PartsGone: Error, CustomStringConvertible {
        var description: String { "the previous build's snapshot changed during this build; build again" }
    }

    /// The JSON object of every amount, each part copied from `previous` when its key is
    /// there, else made. Returns where each part went, by its key; nothing when a part has no
    /// key, since the next build must find every amount in some part.
    func appendJSON(to json: inout [UInt8], previous: EnterpriseChunks.PreviousFile?) -> [ContentDigest: Range<Int>] {
        var made: [ContentDigest: Range<Int>] = [:]
        json.append(UInt8(ascii: "{"))
        for (index, part) in parts.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            let start = json.count
            let copied = part.key.flatMap { key in previous?.withBytes(ofChunk: key) { json += $0 } } != nil
            if !copied { DisclosedAmounts { append(part, to: &$0) }.appendMembers(to: &json) }
            if let key = part.key { made[key] = start..<json.count }
        }
        json.append(UInt8(ascii: "}"))
        return parts.allSatisfy { $0.key != nil } ? made : [:]
    }
}
