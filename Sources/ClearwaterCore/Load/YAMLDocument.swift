import Yams

/// A YAML file parsed into Yams nodes, so every key and value keeps its line and column.
struct YAMLDocument {
    let path: String
    let root: Node?
    /// Added to Yams' line numbers: front matter starts below its opening `---`.
    let lineOffset: Int

    init(text: String, path: String, lineOffset: Int = 0, diagnostics: inout Diagnostics) {
        self.path = path
        self.lineOffset = lineOffset
        do {
            // The encoding named: Yams' default reads the whole environment on every call,
            // half the cost of parsing a page's front matter, two thousand times a province build.
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
            if root == nil { diagnostics.error("the YAML is empty", at: SourceLocation(path: path, line: 1 + lineOffset, column: 1)) }
        } catch let error as YamlError {
            root = nil
            let (message, mark) = Self.describe(error)
            diagnostics.error("invalid YAML: \(message)", at: SourceLocation(path: path, line: (mark?.line ?? 0) + (mark == nil ? 0 : lineOffset), column: mark?.column ?? 0))
        } catch {
            root = nil
            diagnostics.error("invalid YAML: \(error)", at: SourceLocation(path: path))
        }
    }

    private static func describe(_ error: YamlError) -> (String, Mark?) {
        switch error {
        case let .parser(_, problem, mark, _) where problem.contains("nesting level"):
            return ("nested deeper than the 1,000 levels a YAML reader accepts", mark)
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            return ([context?.text, problem].compactMap { $0 }.joined(separator: " "), mark)
        case let .reader(problem, _, _, _):
            return (problem, nil)
        case let .duplicatedKeysInMapping(duplicates, context):
            return ("duplicate keys \(duplicates.joined(separator: ", "))", context.mark)
        default:
            return ("\(error)", nil)
        }
    }

    func location(of node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(path: path, line: 1 + lineOffset, column: 1) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    /// The root as a mapping, or a diagnostic saying it should be one.
    func rootMapping(diagnostics: inout Diagnostics) -> YAMLMapping? {
        guard let root else { return nil }
        guard case let .mapping(mapping) = root else {
            diagnostics.error("expected a mapping of 'key: value' lines", at: location(of: root))
            return nil
        }
        return YAMLMapping(mapping: mapping, document: self, node: root)
    }
}

/// A YAML mapping whose lookups remember where each key stands.
struct YAMLMapping {
    let mapping: Node.Mapping
    let document: YAMLDocument
    let node: Node

    var keys: [(name: String, node: Node)] {
        mapping.compactMap { pair in pair.key.string.map { ($0, pair.key) } }
    }

    /// Each key with its node and its value, in the file's order, in one pass: a lookup per key
    /// (`value`) goes through the mapping from its start, and the theme's 160 interface strings
    /// per language were a fifth of a rebuild's first twentieth of a second on that core.
    var entries: [(name: String, key: Node, value: Node)] {
        mapping.compactMap { pair in pair.key.string.map { ($0, pair.key, pair.value) } }
    }

    func value(_ key: String) -> Node? {
        mapping.first { $0.key.string == key }?.value
    }

    func keyNode(_ key: String) -> Node? {
        mapping.first { $0.key.string == key }?.key
    }

    func location(of key: String) -> SourceLocation {
        document.location(of: value(key) ?? keyNode(key) ?? node)
    }

    func child(_ key: String) -> YAMLMapping? {
        guard let value = value(key), case let .mapping(mapping) = value else { return nil }
        return YAMLMapping(mapping: mapping, document: document, node: value)
    }

    /// Warns about keys nobody reads, naming the likely intended one.
    func warnAboutUnknownKeys(known: [String], ignoring isIgnored: (String) -> Bool = { _ in false }, diagnostics: inout Diagnostics) {
        for (name, node) in keys where !known.contains(name) && !isIgnored(name) {
            diagnostics.warning("unknown key '\(name)' is ignored\(Suggestion.didYouMean(name, among: known))", at: document.location(of: node))
        }
    }
}
