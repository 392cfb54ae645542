/// One controlled vocabulary: its keys in the order the site maintainers wrote them, each with a label per language.
public struct Codebook: Sendable {
    public let name: String
    public let keys: [String]
    public let labels: [String: Localized]

    public init(name: String, keys: [String], labels: [String: Localized]) {
        self.name = name
        self.keys = keys
        self.labels = labels
    }

    public func contains(_ key: String) -> Bool { labels[key] != nil }

    public func label(_ key: String, in language: String) -> String {
        labels[key]?.text(in: language) ?? key
    }
}

/// Every coded value in the data is a key of one of these codebooks.
public struct Vocabulary: Sendable {
    public static let requiredCodebooks = ["pollutants", "media", "statuses", "industries", "districts", "discharge_methods", "facility_statuses"]

    public let codebooks: [String: Codebook]

    public init(codebooks: [String: Codebook]) {
        self.codebooks = codebooks
    }

    public subscript(name: String) -> Codebook {
        codebooks[name] ?? Codebook(name: name, keys: [], labels: [:])
    }

    public var pollutants: Codebook { self["pollutants"] }
    public var media: Codebook { self["media"] }
    public var statuses: Codebook { self["statuses"] }
    public var industries: Codebook { self["industries"] }
    public var districts: Codebook { self["districts"] }
    public var dischargeMethods: Codebook { self["discharge_methods"] }
    public var facilityStatuses: Codebook { self["facility_statuses"] }
}
