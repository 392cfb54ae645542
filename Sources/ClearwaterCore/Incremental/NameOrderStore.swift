import Foundation

/// Each enterprise's place in name order (`Site.nameRank`), kept beside the output for the
/// next build: collating ten thousand names per language through ICU took a sixth of a second
/// of every rebuild at province scale, at the end of the loading's longest path, though names
/// seldom change.
///
/// Known by a digest of what the order is worked out from — every id with its name in each
/// language, the languages, and the program, whose ICU collates — so an order kept for other
/// names is worked out again and replaced. A file that is damaged, or that does not order
/// exactly these ids, is worked out again too: it is a cache, never a source.
struct NameOrderStore: Sendable {
    static let format = "clearwater-name-order 1"

    let location: URL

    static func location(of output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.names")
    }

    private struct Kept: Codable {
        let format: String
        let digest: String
        /// By language, the ids in name order.
        let order: [String: [String]]
    }

    /// `Site.nameRank(of:languages:)`: read from the file when it was kept for the same names,
    /// else worked out, for `keep` to keep once the content is found free of errors.
    func rank(of enterprises: [Enterprise], languages: [String]) -> NameOrder {
        let digest = Self.digest(of: enterprises, languages: languages)
        if let digest, let data = FileManager.default.contents(atPath: location.path), let kept = try? JSONDecoder().decode(Kept.self, from: data),
           kept.format == Self.format, kept.digest == digest, let rank = Self.rank(kept.order, of: enterprises, languages: languages) {
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
        let kept = Kept(format: Self.format, digest: digest, order: order.rank.mapValues { places in places.sorted { $0.value < $1.value }.map(\.key) })
        try? JSONEncoder().encode(kept).write(to: location, options: .atomic)
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

    private static func digest(of enterprises: [Enterprise], languages: [String]) -> String? {
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
