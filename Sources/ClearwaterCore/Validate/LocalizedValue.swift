import Yams

extension YAMLMapping {
    /// A `{ zh: …, en: … }` value with a text for every site language; a plain string serves all languages.
    func localized(_ key: String, languages: [String], required: Bool, diagnostics: inout Diagnostics) -> Localized? {
        guard let node = value(key) else {
            if required { diagnostics.error("'\(key)' is required", at: SourceLocation(path: document.path, line: 1, column: 1)) }
            return nil
        }
        return document.localized(node, named: key, languages: languages, diagnostics: &diagnostics)
    }

    func string(_ key: String, diagnostics: inout Diagnostics) -> String? {
        guard let node = value(key) else { return nil }
        guard case let .scalar(scalar) = node else {
            diagnostics.error("'\(key)' must be a single value", at: document.location(of: node))
            return nil
        }
        return scalar.string
    }
}

extension YAMLDocument {
    func localized(_ node: Node, named name: String, languages: [String], diagnostics: inout Diagnostics) -> Localized? {
        switch node {
        case let .scalar(scalar):
            return .same(scalar.string, in: languages)
        case let .mapping(mapping):
            var values: [String: String] = [:]
            for (key, value) in mapping {
                guard let language = key.string else { continue }
                guard languages.contains(language) else {
                    diagnostics.warning("'\(name)' has a text for '\(language)', which is not a site language\(Suggestion.didYouMean(language, among: languages))", at: location(of: key))
                    continue
                }
                guard case let .scalar(scalar) = value else {
                    diagnostics.error("the '\(language)' text of '\(name)' must be a single value", at: location(of: value))
                    continue
                }
                values[language] = scalar.string
            }
            for language in languages where (values[language] ?? "").isEmpty {
                diagnostics.error("'\(name)' has no '\(language)' text", at: location(of: node))
            }
            return Localized(values)
        default:
            diagnostics.error("'\(name)' must be a text or a map of language codes to texts", at: location(of: node))
            return nil
        }
    }
}
