/// A text with one version per site language.
public struct Localized: Hashable, Sendable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    public static func same(_ text: String, in languages: [String]) -> Localized {
        Localized(Dictionary(uniqueKeysWithValues: languages.map { ($0, text) }))
    }

    public subscript(language: String) -> String? { values[language] }

    /// The text in `language`, else in the first of `fallbacks` that has one.
    public func text(in language: String, fallbacks: [String] = []) -> String {
        if let text = values[language], !text.isEmpty { return text }
        for other in fallbacks { if let text = values[other], !text.isEmpty { return text } }
        return values.sorted { $0.key < $1.key }.first?.value ?? ""
    }

    /// The text in each of `languages`, each falling back as `text(in:fallbacks:)` does: what a
    /// search or filter matches, so a name is found in either language.
    public func texts(in languages: [String]) -> [String] {
        languages.map { text(in: $0, fallbacks: languages) }
    }

    /// The same texts in storage of its own, for a thread that copies it many times
    /// (`String.unshared`).
    var unshared: Localized {
        Localized(Dictionary(uniqueKeysWithValues: values.map { ($0.key.unshared, $0.value.unshared) }))
    }
}

extension String {
    /// The same text in storage of its own, where it has any (a short text is held inline). A
    /// copy retains its storage with an atomic add, and when two cores copy the same text at
    /// once, each add waits for the cache line the other holds.
    var unshared: String {
        String(decoding: Array(utf8), as: UTF8.self)
    }
}
