import NIOCore

/// The site's order of the decoded rows (`Site.Ordering`), kept in their store
/// (`DecodedDisclosures.Store`) for a rebuild whose rows kept their keys.
///
/// Its places count only the rows published, so it holds for the enterprises withheld when it
/// was worked out, which `withheld` digests.
struct KeptOrdering: Sendable, Equatable {
    let withheld: String
    let ordering: Site.Ordering

    /// The digest `withheld` compares: of the ids of the enterprises withheld from publication.
    static func digest(ofWithheld ids: Set<String>) -> String {
        StableHash.hex(ids.sorted().joined(separator: "\n"))
    }

    /// Places as 32-bit integers: a province has half a million rows, and these are four
    /// megabytes rather than eight.
    func write(to buffer: inout ByteBuffer) {
        buffer.writeText(withheld)
        Self.write(ordering.order, to: &buffer)
        buffer.writeInteger(UInt64(ordering.runs.count))
        for run in ordering.runs {
            buffer.writeText(run.enterpriseID)
            buffer.writeInteger(UInt32(run.range.count))
        }
        buffer.writeInteger(UInt32(ordering.pollutantPositions.count))
        for (code, places) in ordering.pollutantPositions.sorted(by: { $0.key < $1.key }) {
            buffer.writeText(code)
            Self.write(places, to: &buffer)
        }
        buffer.writeText(ordering.latestYear.map(String.init))
    }

    /// A count, then the places, stored in one go: an integer written at a time, with the
    /// buffer's checks for each, took as long as the rest of the store.
    private static func write(_ places: [Int], to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt64(places.count))
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: places.count * 4) { target in
            for (index, place) in places.enumerated() { target.storeBytes(of: UInt32(truncatingIfNeeded: place).bigEndian, toByteOffset: index * 4, as: UInt32.self) }
            return places.count * 4
        }
    }

    /// `nil` where the bytes end early or say something `write` never writes. Whether the
    /// places fit the rows is for `Site.Ordering.fits` to tell.
    init?(reading reader: inout StoredFieldReader) {
        func places() -> [Int]? {
            guard let count = reader.readInteger(as: UInt64.self), count <= UInt64(reader.left / 4), let bytes = reader.readBytes(Int(count) * 4) else { return nil }
            return (0..<Int(count)).map { Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        guard let withheld = reader.readText() ?? nil, let order = places(),
              let runCount = reader.readInteger(as: UInt64.self), runCount <= UInt64(reader.left / 8) else { return nil }
        var runs: [Site.Ordering.Run] = []
        runs.reserveCapacity(Int(runCount))
        for _ in 0..<runCount {
            guard let id = reader.readText() ?? nil, let count = reader.readInteger(as: UInt32.self) else { return nil }
            let start = runs.last?.range.upperBound ?? 0
            runs.append(Site.Ordering.Run(enterpriseID: id, range: start..<(start + Int(count))))
        }
        guard let codeCount = reader.readInteger(as: UInt32.self) else { return nil }
        var pollutantPositions: [String: [Int]] = [:]
        for _ in 0..<codeCount {
            guard let code = reader.readText() ?? nil, let places = places() else { return nil }
            pollutantPositions[code] = places
        }
        guard let latestYear = reader.readText(), reader.left == 0 else { return nil }
        let year = latestYear.flatMap { Int($0) }
        guard latestYear == nil || year != nil else { return nil }
        self.withheld = withheld
        ordering = Site.Ordering(order: order, runs: runs, pollutantPositions: pollutantPositions, latestYear: year)
    }

    init(withheld: String, ordering: Site.Ordering) {
        (self.withheld, self.ordering) = (withheld, ordering)
    }
}
