/// Reads Mustache text into tokens, line by line, so that section, comment and partial tags
/// standing alone on a line take the whole line with them (the Mustache spec's "standalone" rule).
struct TemplateParser {
    struct Failure: Error {
        let message: String
        /// Byte offset of the tag at fault.
        let offset: Int
    }

    private enum TextEnd {
        case newline(String)
        case tag(offset: Int)
        case end
    }

    /// Sections within sections; deeper nesting is a mistake, and recursion this deep must not
    /// overflow the stack on a malformed theme.
    static let maximumDepth = 100

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0
    private var partials: [Template.PartialReference] = []

    static func parse(_ text: String) throws(Failure) -> Template {
        var parser = TemplateParser(bytes: Array(text.utf8))
        let tokens = try parser.parseTokens(inSection: nil, openedAt: 0, startsOnNewLine: true)
        return Template(tokens: tokens, partials: parser.partials)
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The tokens up to the end of the section `inSection`, or of the text.
    private mutating func parseTokens(inSection section: String?, openedAt sectionOffset: Int, startsOnNewLine: Bool) throws(Failure) -> [Template.Token] {
        var tokens: [Template.Token] = []
        var onNewLine = startsOnNewLine
        var indentation = ""
        while position < bytes.count {
            if onNewLine { indentation = read(while: { $0 == .space || $0 == .tab }) }
            let (text, end) = readText()
            let tagOffset: Int
            switch end {
            case let .newline(newline):
                tokens.append(.text(indentation + text + newline))
                onNewLine = true
                continue
            case .end:
                if !text.isEmpty { tokens.append(.text(indentation + text)) }
                continue
            case let .tag(offset):
                if !text.isEmpty {
                    tokens.append(.text(indentation + text))
                    indentation = ""
                    onNewLine = false
                }
                tagOffset = offset
            }
            guard position < bytes.count else { throw Failure(message: "the tag is not closed with }}", offset: tagOffset) }
            let sigil = bytes[position]
            var standalone = false
            func flushIndentation() {
                if !indentation.isEmpty { tokens.append(.text(indentation)) }
                indentation = ""
            }
            switch sigil {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                position += 1
                let name = try readName(tagOffset)
                standalone = onNewLine && finishesLine()
                if !standalone { flushIndentation() }
                guard depth < Self.maximumDepth else { throw Failure(message: "sections are nested more than \(Self.maximumDepth) deep", offset: tagOffset) }
                depth += 1
                let inner = try parseTokens(inSection: name.text, openedAt: tagOffset, startsOnNewLine: standalone)
                depth -= 1
                tokens.append(.section(name, inner, inverted: sigil == UInt8(ascii: "^")))
            case UInt8(ascii: "/"):
                position += 1
                let name = try readName(tagOffset)
                guard let section else { throw Failure(message: "{{/\(name.text)}} closes no open section", offset: tagOffset) }
                guard name.text == section else { throw Failure(message: "{{/\(name.text)}} does not close the open section '\(section)'", offset: tagOffset) }
                if !(onNewLine && finishesLine()) { flushIndentation() }
                return tokens
            case UInt8(ascii: "!"):
                guard let close = find(.closingBraces, from: position) else { throw Failure(message: "the comment is not closed with }}", offset: tagOffset) }
                position = close + 2
                standalone = onNewLine && finishesLine()
            case UInt8(ascii: "{"), UInt8(ascii: "&"):
                flushIndentation()
                position += 1
                let name = try readName(tagOffset)
                if sigil == UInt8(ascii: "{") {
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "}") else { throw Failure(message: "{{{ must be closed with }}}", offset: tagOffset) }
                    position += 1
                }
                tokens.append(.variable(name, escaped: false))
            case UInt8(ascii: ">"):
                position += 1
                skipWhitespace()
                let name = read(while: { $0.isNameByte || $0 == UInt8(ascii: "/") })
                skipWhitespace()
                guard !name.isEmpty, readClosingBraces() else { throw Failure(message: "a partial tag must be {{> name}}", offset: tagOffset) }
                if !indentation.isEmpty { tokens.append(.text(indentation)) }
                standalone = onNewLine && finishesLine()
                tokens.append(.partial(name, indentation: standalone ? indentation : nil))
                partials.append(.init(name: name, offset: tagOffset))
                indentation = ""
            case UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: "$"), UInt8(ascii: "%"):
                throw Failure(message: "{{\(Character(Unicode.Scalar(sigil))) tags (custom delimiters, inheritance, pragmas) are not supported", offset: tagOffset)
            default:
                flushIndentation()
                tokens.append(.variable(try readName(tagOffset), escaped: true))
            }
            onNewLine = standalone
        }
        if let section { throw Failure(message: "section '\(section)' is not closed with {{/\(section)}}", offset: sectionOffset) }
        return tokens
    }

    /// Text up to a line end (included in the result's end) or past the next `{{`.
    private mutating func readText() -> (String, TextEnd) {
        let start = position
        while position < bytes.count {
            if bytes[position] == .newline {
                let text = string(start..<position)
                position += 1
                return (text, .newline("\n"))
            }
            if bytes[position] == UInt8(ascii: "{"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "{") {
                let text = string(start..<position)
                position += 2
                return (text, .tag(offset: position - 2))
            }
            position += 1
        }
        return (string(start..<position), .end)
    }

    private mutating func readName(_ tagOffset: Int) throws(Failure) -> Template.Name {
        skipWhitespace()
        let text = read(while: \.isNameByte)
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "(") {
            throw Failure(message: "transforms such as name(…) are not supported", offset: tagOffset)
        }
        guard !text.isEmpty else { throw Failure(message: "the tag has no name", offset: tagOffset) }
        guard readClosingBraces() else { throw Failure(message: "the tag '\(text)' is not closed with }}", offset: tagOffset) }
        return Template.Name(text)
    }

    /// A standalone tag takes its line: true (and the line end consumed) when only blanks follow.
    private mutating func finishesLine() -> Bool {
        var cursor = position
        while cursor < bytes.count, bytes[cursor] == .space || bytes[cursor] == .tab { cursor += 1 }
        if cursor == bytes.count {
            return position == bytes.count
        }
        if bytes[cursor] == .newline {
            position = cursor + 1
            return true
        }
        if bytes[cursor] == .carriageReturn, cursor + 1 < bytes.count, bytes[cursor + 1] == .newline {
            position = cursor + 2
            return true
        }
        return false
    }

    private mutating func readClosingBraces() -> Bool {
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "}"), bytes[position + 1] == UInt8(ascii: "}") else { return false }
        position += 2
        return true
    }

    private mutating func skipWhitespace() {
        _ = read(while: { $0 == .space || $0 == .tab || $0 == .newline || $0 == .carriageReturn })
    }

    private mutating func read(while predicate: (UInt8) -> Bool) -> String {
        let start = position
        while position < bytes.count, predicate(bytes[position]) { position += 1 }
        return string(start..<position)
    }

    private func find(_ pair: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == pair[0], bytes[index + 1] == pair[1] { return index }
            index += 1
        }
        return nil
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

private extension [UInt8] {
    static let closingBraces: [UInt8] = [UInt8(ascii: "}"), UInt8(ascii: "}")]
}

private extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    /// Letters, digits and `.-_?*`, as swift-mustache accepts in names.
    var isNameByte: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "?"), UInt8(ascii: "*"):
            true
        default:
            false
        }
    }
}
