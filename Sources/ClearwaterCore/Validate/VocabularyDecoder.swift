import Yams

/// Turns `vocabulary.yml` into a `Vocabulary`: every codebook present, every key labelled in every language.
struct VocabularyDecoder {
    let languages: [String]

    func decode(_ document: YAMLDocument, diagnostics: inout Diagnostics) -> Vocabulary {
        guard let root = document.rootMapping(diagnostics: &diagnostics) else { return Vocabulary(codebooks: [:]) }
        root.warnAboutUnknownKeys(known: Vocabulary.requiredCodebooks, diagnostics: &diagnostics)
        var codebooks: [String: Codebook] = [:]
        for name in Vocabulary.requiredCodebooks {
            guard let node = root.value(name) else {
                diagnostics.error("the vocabulary '\(name)' is missing", at: SourceLocation(path: document.path, line: 1, column: 1))
                continue
            }
            guard case let .mapping(mapping) = node else {
                diagnostics.error("'\(name)' must map each key to its labels, e.g. Pb: { zh: 铅, en: Lead }", at: document.location(of: node))
                continue
            }
            var keys: [String] = []
            var labels: [String: Localized] = [:]
            for (keyNode, value) in mapping {
                guard let key = keyNode.string, !key.isEmpty else { continue }
                if name == "pollutants" || name == "districts", !Self.isURLSafe(key) {
                    diagnostics.error("\(name) key '\(key)' names a URL; use letters, digits, '-' and '_' only", at: document.location(of: keyNode))
                    continue
                }
                if let label = document.localized(value, named: "\(name).\(key)", languages: languages, diagnostics: &diagnostics) {
                    keys.append(key)
                    labels[key] = label
                }
            }
            codebooks[name] = Codebook(name: name, keys: keys, labels: labels)
        }
        return Vocabulary(codebooks: codebooks)
    }

    private static func isURLSafe(_ key: String) -> Bool {
        key.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
