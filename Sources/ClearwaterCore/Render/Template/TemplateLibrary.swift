/// A theme's templates by name; any of them can be a page's template or another's partial.
struct TemplateLibrary: Sendable {
    private let templates: [String: Template]

    init(_ templates: [String: Template]) {
        self.templates = templates
    }

    /// An empty string for an unknown name: the theme loader has already reported it.
    func render(_ name: String, _ context: [String: Any]) -> String {
        guard let template = templates[name] else { return "" }
        var rendering = Rendering(library: self, stack: [.object(context)], indentation: nil)
        var output = ""
        rendering.render(template.tokens, into: &output)
        return output
    }

    /// Partial names with no template, and chains of partials that include themselves (which
    /// would recurse until the stack overflows), each with the template and tag at fault.
    func problems() -> [(template: String, offset: Int, message: String)] {
        var problems: [(String, Int, String)] = []
        for (name, template) in templates.sorted(by: { $0.key < $1.key }) {
            for partial in template.partials where templates[partial.name] == nil {
                problems.append((name, partial.offset, "no template named '\(partial.name)' for {{> \(partial.name)}}"))
            }
            if let cycle = cycle(from: name), let first = template.partials.first(where: { $0.name == cycle[1] }) {
                problems.append((name, first.offset, "partials include each other without end: \(cycle.joined(separator: " → "))"))
            }
        }
        return problems
    }

    /// A chain of partials from `start` back to `start`, if there is one.
    private func cycle(from start: String) -> [String]? {
        var visited: Set<String> = []
        func search(_ path: [String]) -> [String]? {
            for partial in templates[path.last!]?.partials ?? [] {
                if partial.name == start { return path + [start] }
                if visited.insert(partial.name).inserted, let found = search(path + [partial.name]) { return found }
            }
            return nil
        }
        return search([start])
    }

    private struct Rendering {
        let library: TemplateLibrary
        var stack: [TemplateValue]
        /// Set inside a partial whose tag stood indented on its own line.
        let indentation: String?

        mutating func render(_ tokens: [Template.Token], into output: inout String) {
            guard let indentation, !indentation.isEmpty else {
                for token in tokens { render(token, into: &output) }
                return
            }
            // swift-mustache indents a token's output when the output of this token list so far ends a line.
            let start = output.utf8.count
            for token in tokens {
                let before = output.utf8.count
                let startsLine = before > start && output.utf8.last == UInt8(ascii: "\n")
                render(token, into: &output)
                if startsLine, output.utf8.count > before {
                    output.insert(contentsOf: indentation, at: output.utf8.index(output.startIndex, offsetBy: before))
                }
            }
        }

        private mutating func render(_ token: Template.Token, into output: inout String) {
            switch token {
            case let .text(text):
                output += text
            case let .variable(name, escaped):
                guard let value = resolve(name) else { return }
                if escaped { HTMLEscaping.append(value.text, to: &output) } else { output += value.text }
            case let .section(name, tokens, inverted):
                let value = resolve(name)
                if inverted {
                    if !(value?.isTruthy ?? false) { render(tokens, into: &output) }
                    return
                }
                guard let value, value.isTruthy else { return }
                if case .flag = value {
                    render(tokens, into: &output)
                    return
                }
                value.forEachItem { item in
                    stack.append(item)
                    render(tokens, into: &output)
                    stack.removeLast()
                }
            case let .partial(name, partialIndentation):
                guard let template = library.templates[name] else { return }
                let combined = partialIndentation.map { (indentation ?? "") + $0 } ?? indentation
                var inner = Rendering(library: library, stack: stack, indentation: combined)
                inner.render(template.tokens, into: &output)
            }
        }

        /// The first enclosing item with the name's first part, then the rest of the path inside it.
        private func resolve(_ name: Template.Name) -> TemplateValue? {
            guard let first = name.path.first else { return stack.last }
            var found: TemplateValue?
            if name.currentItemOnly {
                found = stack.last?.member(first)
            } else {
                for frame in stack.reversed() {
                    if let value = frame.member(first) {
                        found = value
                        break
                    }
                }
            }
            for key in name.path.dropFirst() {
                found = found?.member(key)
            }
            return found
        }
    }
}
