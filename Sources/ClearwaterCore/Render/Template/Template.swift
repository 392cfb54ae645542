/// A Mustache template, parsed once when the theme loads and rendered for every page.
///
/// Clearwater renders its own templates instead of swift-mustache's: that library resolves every
/// name through protocol casts on `Any`, which was 45% of a province-sized build.
/// The language is Mustache without lambdas, transforms, inheritance and custom delimiters;
/// whitespace follows swift-mustache's rules, so themes render exactly as before.
struct Template: Sendable {
    indirect enum Token: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, [Token], inverted: Bool)
        /// `indentation` is set when the tag stands alone on its line: every line of the partial gets it.
        case partial(String, indentation: String?)
    }

    /// A dotted name, split when parsed rather than at every lookup.
    struct Name: Sendable, Equatable {
        /// Empty for `.`, the current item.
        let path: [String]
        /// A name starting with `.` is looked up in the current item only, not in enclosing ones.
        let currentItemOnly: Bool
        let text: String

        init(_ text: String) {
            self.text = text
            path = text == "." ? [] : text.split(separator: ".").map(String.init)
            currentItemOnly = text.hasPrefix(".") && text != "."
        }
    }

    /// A partial the template includes, with the byte offset of its tag, so that a theme naming a
    /// missing template is an error when it loads rather than a hole in every page.
    struct PartialReference: Sendable {
        let name: String
        let offset: Int
    }

    let tokens: [Token]
    let partials: [PartialReference]
}
