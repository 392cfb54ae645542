/// A codebook's labels in one language, worked out once for a table that labels a column on
/// every row: through the codebook, each lookup hashed the key and then the language, 2 % of a
/// province's full build for the disclosure rows alone.
///
/// A handful of short codes (pollutants, media, statuses) are compared one by one, which costs
/// less than hashing the key; a longer list, such as a province's districts, is hashed once.
struct CodebookLabels {
    private let keys: [String]
    private let labels: [String]
    private let byKey: [String: String]?

    init(_ codebook: Codebook, in language: String) {
        let entries = codebook.labels.sorted { $0.key < $1.key }
        keys = entries.map(\.key)
        labels = entries.map { $0.value.text(in: language) }
        byKey = entries.count > 16 ? Dictionary(uniqueKeysWithValues: zip(keys, labels)) : nil
    }

    /// As `PageEnvironment.label`: empty for no key, the key itself for one the codebook lacks.
    func callAsFunction(_ key: String?) -> String {
        guard let key else { return "" }
        if let byKey { return byKey[key] ?? key }
        for index in keys.indices where keys[index] == key { return labels[index] }
        return key
    }
}
