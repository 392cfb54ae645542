import Foundation
import NIOCore

/// Each enterprise's place in name order (`Site.nameRank`), kept beside the output for the
/// next build: collating ten thousand names per language through ICU took a sixth of a second
/// of every rebuild at province scale, at the end of the loading's longest path, though names
/// seldom change.
///
/// Known by a digest of what the order is worked out from — every id with its name in each
/// language, the languages, and the program, whose ICU collates — so an order kept for other
/// names is worked out again and replaced. A file that is damaged, or that does not order
/// exactly these ids, is worked out again too: it is a cache, never a source.
///
/// Layout, in the fields the other stores use (`StoredFields`): format, the digest, the order's
/// size, the order (by language, the ids in name order) and its CRC-32C. Read with
/// `JSONDecoder`, a JSON file of ten thousand ids per language took longer than reading the
/// enterprises' names it orders, at the end of a rebuild's longest path of loading.
struct NameOrderStore: Sendable {
    static let format = "clearwater-name-order 2"

    let location: URL

    static func location(of output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.names")
    }

    /// `Site.nameRank(of:languages:)`: read from the file when it was kept for the same names,
    /// else worked out, for `keep` to keep once the content is found free of errors.
    func rank(of enterprises: [Enterprise], languages: [String]) -> NameOrder {
        let digest = Self.digest(of: enterprises, languages: languages)
        if let digest, let order = read(digest: digest), let rank = Self.rank(order, of: enterprises, languages: languages) {
            return NameOrder(rank: rank, unkeptDigest: nil)
        }
        return NameOrder(rank: Site.nameRank(of: enterprises, languages: languages), unkeptDigest: digest)
    }

    /// Each enterprise's place in name order, per language, and for an order worked out
    /// rather than read, the digest to keep it under.
    struct NameOrder: Sendable {
        let rank: [String: [String: Int]]
        fileprivate let unkeptDigest: String?

        /// An order worked out with nowhere to keep it.
        init(rank: [String: [String: Int]]) {
            self.init(rank: rank, unkeptDigest: nil)
        }

        fileprivate init(rank: [String: [String: Int]], unkeptDigest: String?) {
            self.rank = rank
            self.unkeptDigest = unkeptDigest
        }
    }

    /// Keeps an order that was worked out rather than read. Only a speed-up: if it cannot be
    /// kept, the next build works the order out again.
    func keep(_ order: NameOrder) {
        guard let digest = order.unkeptDigest else { return }
        write(order.rank.mapValues { places in places.sorted { $0.value < $1.value }.map(\.key) }, digest: digest)
    }

    /// Keeps `order`, by language the ids in name order, for the names `digest` digests.
    func write(_ order: [String: [String]], digest: String) {
        var ordered = ByteBuffer()
        ordered.writeInteger(UInt32(order.count))
        for (language, ids) in order.sorted(by: { $0.key < $1.key }) {
            ordered.writeText(language)
            ordered.writeInteger(UInt32(ids.count))
            for id in ids { ordered.writeText(id) }
        }
        var buffer = ByteBuffer()
        buffer.writeText(Self.format)
        buffer.writeText(digest)
        buffer.writeCheckedSection(&ordered)
        try? writeStore(at: location) { try buffer.flush(to: $0) }
    }

    /// By language, the ids in name order, as kept for `digest`; `nil` when there is none, or
    /// it is damaged or kept for other names.
    func read(digest: String) -> [String: [String]]? {
        guard let data = FileManager.default.contents(atPath: location.path) else { return nil }
        return data.withUnsafeBytes { bytes -> [String: [String]]? in
            var reader = StoredFieldReader(bytes)
            guard reader.readText() == Self.format, reader.readText() == digest, let orderBytes = reader.readCheckedSection(), reader.left == 0 else { return nil }
            var fields = StoredFieldReader(orderBytes)
            guard let languages = fields.readInteger(as: UInt32.self) else { return nil }
            var order: [String: [String]] = [:]
            for _ in 0..<languages {
                guard let language = fields.readText() ?? nil, let count = fields.readInteger(as: UInt32.self), Int(count) <= fields.left / 4 else { return nil }
                var ids: [String] = []
                ids.reserveCapacity(Int(count))
                for _ in 0..<count {
                    guard let id = fields.readText() ?? nil else { return nil }
                    ids.append(id)
                }
                order[language] = ids
            }
            return fields.left == 0 ? order : nil
        }
    }

    /// The places of a kept order, if it orders exactly the enterprises' ids in every language.
    private static func rank(_ order: [String: [String]], of enterprises: [Enterprise], languages: [String]) -> [String: [String: Int]]? {
        let ids = Set(enterprises.map(\.id))
        var rank: [String: [String: Int]] = [:]
        for language in languages {
            guard let ordered = order[language], ordered.count == ids.count else { return nil }
            let places = Dictionary(ordered.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            guard places.count == ids.count, places.keys.allSatisfy(ids.contains) else { return nil }
            rank[language] = places
        }
        return rank
    }

    static func digest(of enterprises: [Enterprise], languages: [String]) -> String? {
        guard let program = FileStamp.executable else { return nil }
        var hash = StableHash()
        hash.add(format)
        hash.add(program.description)
        for language in languages { hash.add(language) }
        for enterprise in enterprises {
            hash.add(enterprise.id)
            for language in languages { hash.add(enterprise.name.text(in: language, fallbacks: languages)) }
        }
        return hash.hex
    }
}
