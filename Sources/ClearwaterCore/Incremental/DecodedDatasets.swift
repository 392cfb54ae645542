import Foundation
import NIOCore

/// The enterprises and facilities a build decoded, kept beside the output with the digest of
/// the text each was decoded from, so that a rebuild after an edit elsewhere decodes neither;
/// and what the record digests take from them (`EnterpriseParts`), so that it hashes neither.
///
/// At province scale they are 30,000 rows that seldom change — a bureau's edits are mostly
/// disclosures — and parsing and checking them was 7 % of a rebuild's CPU after one changed
/// disclosure row, the enterprises on the path every rebuild waits for, since each disclosure
/// names one. Like the decoded pages, a cache, never a source: a dataset is reused only for the
/// same text, decoded under the same settings, vocabulary, build day and program, and only when
/// decoding it reported nothing, so no warning is lost; a damaged store is not read. The
/// violations and targets are a few hundred rows, not worth keeping.
struct DecodedDatasets: Sendable {
    /// What a dataset decoded to, with the digest of the text it was decoded from.
    struct Kept<Value: Sendable>: Sendable {
        let digest: String
        let value: Value
    }

    /// The enterprises published, and the ids of those withheld.
    struct Enterprises: Sendable {
        let enterprises: [Enterprise]
        let withheld: Set<String>
    }

    var enterprises: Kept<Enterprises>?
    /// Under `facilitiesDigest`.
    var facilities: Kept<[Facility]>?
    /// Under `facilitiesDigest` too, which covers both files' text.
    var enterpriseParts: Kept<EnterpriseParts>?

    /// The digest under which facilities are kept: their text's, and that of the enterprises'
    /// text, which gives the ids their references are checked against.
    static func facilitiesDigest(text: String, enterprisesText: String) -> String {
        StableHash.hex(text, enterprisesText)
    }

    /// The file beside the output that keeps them.
    struct Store: Sendable {
        static let format = "clearwater-decoded-datasets 2"

        let location: URL
        /// Digests what a row's meaning depends on besides its text — `site.yml` and
        /// `vocabulary.yml`, the build day (embargoes) — and the program that decoded it.
        let context: String

        static func location(of output: URL) -> URL {
            output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.datasets")
        }

        /// `nil` where the program's executable cannot be found.
        init?(location: URL, inputs: String) {
            guard let program = FileStamp.executable else { return nil }
            self.location = location
            context = StableHash.hex(inputs, program.description)
        }

        /// `nil` when there is none, it was kept under another context, or it is damaged.
        func read() -> DecodedDatasets? {
            guard let mapped = MappedFile(readingAt: location.path) else { return nil }
            return withExtendedLifetime(mapped) { () -> DecodedDatasets? in
                guard var body = StoredFieldReader(checkedWhole: mapped.bytes), body.readText() == Self.format, body.readText() == context,
                      let hasEnterprises = body.readInteger(as: UInt8.self), hasEnterprises <= 1 else { return nil }
                var datasets = DecodedDatasets()
                if hasEnterprises == 1 {
                    guard let digest = body.readText() ?? nil, let enterprises = body.readList({ $0.readEnterprise() }),
                          let withheld = body.readList({ $0.readText() ?? nil }) else { return nil }
                    datasets.enterprises = Kept(digest: digest, value: Enterprises(enterprises: enterprises, withheld: Set(withheld)))
                }
                guard let hasFacilities = body.readInteger(as: UInt8.self), hasFacilities <= 1 else { return nil }
                if hasFacilities == 1 {
                    guard let digest = body.readText() ?? nil, let facilities = body.readList({ $0.readFacility() }) else { return nil }
                    datasets.facilities = Kept(digest: digest, value: facilities)
                }
                guard let hasParts = body.readInteger(as: UInt8.self), hasParts <= 1 else { return nil }
                if hasParts == 1 {
                    guard let digest = body.readText() ?? nil, let own = body.readList({ $0.readDigest() }), let all = body.readDigest() else { return nil }
                    datasets.enterpriseParts = Kept(digest: digest, value: EnterpriseParts(own: own, all: all))
                }
                return body.left == 0 ? datasets : nil
            }
        }

        /// Written as a store (`writeStore`). Only a speed-up: if it cannot be written, the
        /// next build decodes both files.
        func write(_ datasets: DecodedDatasets) {
            var buffer = ByteBuffer()
            buffer.writeText(Self.format)
            buffer.writeText(context)
            buffer.writeInteger(UInt8(datasets.enterprises == nil ? 0 : 1))
            if let kept = datasets.enterprises {
                buffer.writeText(kept.digest)
                buffer.writeList(kept.value.enterprises) { $0.writeEnterprise($1) }
                buffer.writeList(kept.value.withheld.sorted()) { $0.writeText($1) }
            }
            buffer.writeInteger(UInt8(datasets.facilities == nil ? 0 : 1))
            if let kept = datasets.facilities {
                buffer.writeText(kept.digest)
                buffer.writeList(kept.value) { $0.writeFacility($1) }
            }
            buffer.writeInteger(UInt8(datasets.enterpriseParts == nil ? 0 : 1))
            if let kept = datasets.enterpriseParts {
                buffer.writeText(kept.digest)
                buffer.writeList(kept.value.own) { $0.writeDigest($1) }
                buffer.writeDigest(kept.value.all)
            }
            buffer.writeBytes(buffer.checksum)
            try? writeStore(at: location) { try buffer.flush(to: $0) }
        }
    }
}

private extension ByteBuffer {
    mutating func writeEnterprise(_ enterprise: Enterprise) {
        writeText(enterprise.id)
        writeLocalized(enterprise.name)
        writeText(enterprise.creditCode)
        writeText(enterprise.district)
        writeText(enterprise.industry)
        writeText(enterprise.status)
        writeDay(enterprise.statusSince)
        writeInteger(UInt8(enterprise.keyRegulated.map { $0 ? 2 : 1 } ?? 0))
        writeLocalized(enterprise.address)
    }

    mutating func writeFacility(_ facility: Facility) {
        writeText(facility.enterpriseID)
        writeText(facility.id)
        writeLocalized(facility.name)
        writeText(facility.status)
        writeDay(facility.since)
    }

    /// Year, month and day; a year of 0 for none.
    mutating func writeDay(_ day: Day?) {
        writeInteger(UInt16(day?.year ?? 0))
        writeInteger(UInt8(day?.month ?? 0))
        writeInteger(UInt8(day?.day ?? 0))
    }
}

private extension StoredFieldReader {
    mutating func readEnterprise() -> Enterprise? {
        guard let id = readText() ?? nil, let name = readLocalized() ?? nil, let creditCode = readText(), let district = readText() ?? nil,
              let industry = readText() ?? nil, let status = readText() ?? nil, let statusSince = readDay(),
              let keyRegulated = readInteger(as: UInt8.self), keyRegulated <= 2, let address = readLocalized() else { return nil }
        return Enterprise(id: id, name: name, creditCode: creditCode, district: district, industry: industry, status: status, statusSince: statusSince,
                          keyRegulated: keyRegulated == 0 ? nil : keyRegulated == 2, address: address)
    }

    mutating func readFacility() -> Facility? {
        guard let enterpriseID = readText() ?? nil, let id = readText() ?? nil, let name = readLocalized() ?? nil, let status = readText() ?? nil,
              let since = readDay() else { return nil }
        return Facility(enterpriseID: enterpriseID, id: id, name: name, status: status, since: since)
    }

    /// `nil` when the bytes end early or name no real day; `.some(nil)` for none.
    mutating func readDay() -> Day?? {
        guard let year = readInteger(as: UInt16.self), let month = readInteger(as: UInt8.self), let day = readInteger(as: UInt8.self) else { return nil }
        if year == 0 { return .some(nil) }
        guard let real = Day(year: Int(year), month: Int(month), day: Int(day)) else { return nil }
        return .some(real)
    }
}
