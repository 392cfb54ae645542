import CLinux
import Foundation

/// Tables and charts of the data that a Markdown page places with a tag on a line of its own:
/// `{{< view targets-chart >}}`. The tag is Hugo's shortcode syntax, which Markdown authors
/// know; cmark leaves it as a paragraph of text, which is replaced here.
struct DatasetViews {
    static let names = ["targets-table", "targets-chart", "targets-city-chart"]
    /// How a tag starts in cmark's HTML, which escapes the `<`, and in the Markdown source.
    /// Searched for with the C library's `memmem` on the UTF-8 bytes: Foundation's `contains`
    /// and `range(of:)`, and the standard library's generic `firstRange(of:)`, were a tenth of
    /// loading and routing a thousand pages.
    private static let tagStart = "{{&lt; view "
    private static let sourceTagStart = "{{<"

    /// The page's HTML has a tag to replace.
    static func hasTag(_ html: String) -> Bool {
        contains(html, tagStart)
    }

    private static func contains(_ text: String, _ part: String) -> Bool {
        guard text.utf8.count >= part.utf8.count else { return false }
        var text = text, part = part
        return text.withUTF8 { haystack in
            part.withUTF8 { needle in clearwater_contains_bytes(haystack.baseAddress, haystack.count, needle.baseAddress, needle.count) != 0 }
        }
    }

    let environment: PageEnvironment

    /// The page HTML with each tag replaced by its view.
    func expand(_ html: String) -> String {
        guard Self.hasTag(html) else { return html }
        var result = html
        for name in Self.names {
            let tag = "<p>{{&lt; view \(name) &gt;}}</p>"
            if result.contains(tag) { result = result.replacingOccurrences(of: tag, with: render(name)) }
        }
        return result
    }

    private func render(_ name: String) -> String {
        let targets = TargetsPage(environment: environment).context()
        let (template, context): (String, Any?) = switch name {
        case "targets-table": ("targets-table", targets)
        case "targets-chart": ("chart", targets["linesChart"])
        default: ("chart", targets["cityChart"])
        }
        guard var values = context as? [String: Any] else { return "" }
        values["t"] = environment.strings
        return environment.theme.templates.render(template, values)
    }

    /// Every `{{< … >}}` in a page's source that is not a known view, located for the error list.
    static func unknownTags(in source: String) -> [(line: Int, column: Int, text: String)] {
        var problems: [(Int, Int, String)] = []
        guard contains(source, sourceTagStart) else { return problems }
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let start = line.range(of: sourceTagStart) else { continue }
            let trimmed = line.trimmingSpaces
            let words = trimmed.dropFirst(3).dropLast(3).split(separator: " ")
            let valid = trimmed.hasPrefix("{{<") && trimmed.hasSuffix(">}}") && words.count == 2 && words[0] == "view" && names.contains(String(words[1]))
            if !valid {
                problems.append((index + 1, line.distance(from: line.startIndex, to: start.lowerBound) + 1, trimmed))
            }
        }
        return problems
    }
}
