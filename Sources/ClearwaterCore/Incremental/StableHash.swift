import Foundation

/// A digest that is the same in every process and on every machine, unlike Swift's `Hasher`,
/// which is seeded per process; incremental builds compare digests across builds.
///
/// Fields are appended to one buffer and hashed once (`ContentDigest`): far cheaper than
/// feeding a digest field by field. 0xFF never occurs in UTF-8, so it ends every field
/// unambiguously.
struct StableHash {
    private var bytes: [UInt8] = []

    /// Room for the usual digest's fields at once: a route's or a table row's, a hundred
    /// bytes or so, grew the buffer two or three times, for each of a province's 22,000 routes.
    init() {
        bytes.reserveCapacity(128)
    }

    mutating func add(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0xFF)
    }

    mutating func add(_ text: String?) {
        if let text { add(text) } else { bytes.append(contentsOf: [0xFE, 0xFF]) }
    }

    /// A digest as its hex digits, as `add(digest.hex)` would, with no string made: a
    /// province's record digests are added to 22,000 route digests and 10,000 chunk keys.
    mutating func add(_ digest: ContentDigest) {
        digest.appendHex(to: &bytes)
        bytes.append(0xFF)
    }

    mutating func add(_ number: Int) {
        bytes.appendDecimal(number)
        bytes.append(0xFF)
    }
    mutating func add(_ number: Int?) { add(number.map(String.init)) }
    mutating func add(_ number: Decimal?) { add(number.map(NumberFormat.plain)) }
    mutating func add(_ flag: Bool?) { add(flag.map { $0 ? "1" : "0" }) }
    mutating func add(_ day: Day?) { add(day?.description) }
    mutating func add(_ data: Data) {
        add(data.count)
        bytes.append(contentsOf: data)
    }

    mutating func add(_ localized: Localized?) {
        guard let localized else { return add(nil as String?) }
        add(localized.values.count)
        // Two languages, the usual case, ordered with one comparison: sorting made an array
        // for each of half a million disclosures' destinations.
        var entries = localized.values.makeIterator()
        if localized.values.count == 2, let one = entries.next(), let other = entries.next() {
            let (first, second) = one.key < other.key ? (one, other) : (other, one)
            add(first.key); add(first.value); add(second.key); add(second.value)
            return
        }
        for (language, text) in localized.values.sorted(by: { $0.key < $1.key }) {
            add(language)
            add(text)
        }
    }

    mutating func add<Records: Collection>(_ records: Records) where Records.Element: StablyHashable {
        add(records.count)
        for record in records { record.add(to: &self) }
    }

    /// The fields of `other`, as if added here one by one.
    mutating func add(fieldsOf other: StableHash) {
        bytes += other.bytes
    }

    /// Starts over with no fields, keeping the buffer: one serves many digests in turn.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    var hex: String { digest.hex }

    var digest: ContentDigest { ContentDigest(of: bytes) }

    /// Half the digest: enough to tell a table's rows apart (`RowReuse`).
    var word: UInt64 { digest.low }

    static func hex(_ parts: String...) -> String {
        of(parts).hex
    }

    static func digest(_ parts: String...) -> ContentDigest {
        of(parts).digest
    }

    static func word(_ parts: String...) -> UInt64 {
        of(parts).word
    }

    private static func of(_ parts: [String]) -> StableHash {
        var hash = StableHash()
        for part in parts { hash.add(part) }
        return hash
    }
}

/// A model value that can say everything a page could read from it.
///
/// Each conformance lists its fields by hand, so a digest costs one pass over plain values
/// rather than reflection. A field left out would leave pages stale: the random-edit test in
/// `IncrementalBuildTests` edits every kind of record and compares with clean builds.
protocol StablyHashable {
    func add(to hash: inout StableHash)
}
