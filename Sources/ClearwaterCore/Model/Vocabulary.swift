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

    /// Along the keys when they are few, as a codebook's mostly are: every coded cell of every
    /// row asks, and hashing its text was a tenth of decoding a province's disclosures.
    public func contains(_ key: String) -> Bool {
        keys.count <= 16 ? keys.contains(key) : labels[key] != nil
    }

    public func label(_ key: String, in language: String) -> String {
        labels[key]?.text(in: language) ?? key
    }
}

/// Every coded value in the data is a key of one of these codebooks.
public struct Vocabulary: Sendable {
    public static let requiredCodebooks = ["pollutants", "media", "statuses", "industries", "districts", "discharge_methods", "facility_statuses"]

    public let codebooks: [String: Codebook]
    /// Stored rather than looked up by name: datasets and tables read them on every row, and
    /// hashing the name each time was 2 % of a province's full build.
    public let pollutants: Codebook, media: Codebook, statuses: Codebook, industries: Codebook, districts: Codebook,
               dischargeMethods: Codebook, facilityStatuses: Codebook

    public init(codebooks: [String: Codebook]) {
        self.codebooks = codebooks
        func codebook(_ name: String) -> Codebook { Self.codebook(name, in: codebooks) }
        (pollutants, media, statuses, industries) = (codebook("pollutants"), codebook("media"), codebook("statuses"), codebook("industries"))
        (districts, dischargeMethods, facilityStatuses) = (codebook("districts"), codebook("discharge_methods"), codebook("facility_statuses"))
    }

    public subscript(name: String) -> Codebook {
        Self.codebook(name, in: codebooks)
    }

    /// An empty codebook for a name `vocabulary.yml` lacks, which validation reports.
    private static func codebook(_ name: String, in codebooks: [String: Codebook]) -> Codebook {
        codebooks[name] ?? Codebook(name: name, keys: [], labels: [:])
    }
}
