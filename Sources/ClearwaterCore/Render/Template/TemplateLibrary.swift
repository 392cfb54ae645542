import Foundation

/// A theme's templates by name; any of them can be a page's template or another's partial.
///
/// Each template's tokens are flattened, when the theme loads, into one list of instructions
/// of plain integers, its texts into one buffer of bytes, and pages render into bytes: walking
/// a token tree retained and released every token, its text and its nested list on the way,
/// and retain and release were a quarter of a province build's samples.
struct TemplateLibrary: Sendable {
    private let templates: [String: Template]
    /// Where each template's instructions are, by name.
    private let entries: [String: Range<Int>]
    private let instructions: [Instruction]
    private let text: [UInt8]
    private let names: [Template.Name]
    /// Whether each name is a single word, such as a table row's cell is found by.
    private let isOneWord: [Bool]
    private let indentations: [[UInt8]]

    /// One step of a flattened template.
    private struct Instruction {
        enum Kind {
            case text, escapedVariable, rawVariable, section, invertedSection, partial
        }

        let kind: Kind
        /// Text: where it starts in `text`. Variables and sections: the index of the name.
        /// Partials: where the partial's instructions start, -1 when there is no such template.
        let operand: Int
        /// Text: its length in bytes. Sections: how many instructions the body that follows
        /// has. Partials: how many instructions the partial has.
        let count: Int
        /// Partials whose tag stands alone on its line: the index of that line's indentation.
        let indentation: Int?
    }

    init(_ templates: [String: Template]) {
        self.templates = templates
        var flattening = Flattening()
        var entries: [String: Range<Int>] = [:]
        // Partials point at where other templates start: lay every template out first.
        let ordered = templates.sorted { $0.key < $1.key }
        var start = 0
        for (name, template) in ordered {
            let count = Flattening.count(template.tokens)
            entries[name] = start..<(start + count)
            start += count
        }
        for (_, template) in ordered {
            flattening.append(template.tokens, entries: entries)
        }
        self.entries = entries
        instructions = flattening.instructions
        text = flattening.text
        names = flattening.names
        isOneWord = flattening.names.map { $0.path.count == 1 }
        indentations = flattening.indentations
    }

    private struct Flattening {
        var instructions: [Instruction] = []
        var text: [UInt8] = []
        var names: [Template.Name] = []
        var indentations: [[UInt8]] = []

        static func count(_ tokens: [Template.Token]) -> Int {
            tokens.reduce(0) { total, token in
                if case let .section(_, body, _) = token { return total + 1 + count(body) }
                return total + 1
            }
        }

        mutating func append(_ tokens: [Template.Token], entries: [String: Range<Int>]) {
            for token in tokens {
                switch token {
                case let .text(string):
                    instructions.append(Instruction(kind: .text, operand: text.count, count: string.utf8.count, indentation: nil))
                    text.append(contentsOf: string.utf8)
                case let .variable(name, escaped):
                    names.append(name)
                    instructions.append(Instruction(kind: escaped ? .escapedVariable : .rawVariable, operand: names.count - 1, count: 0, indentation: nil))
                case let .section(name, body, inverted):
                    names.append(name)
                    instructions.append(Instruction(kind: inverted ? .invertedSection : .section, operand: names.count - 1, count: Self.count(body), indentation: nil))
                    append(body, entries: entries)
                case let .partial(name, indentation):
                    let range = entries[name]
                    if let indentation { indentations.append(Array(indentation.utf8)) }
                    instructions.append(Instruction(kind: .partial, operand: range?.lowerBound ?? -1, count: range?.count ?? 0,
                                                    indentation: indentation == nil ? nil : indentations.count - 1))
                }
            }
        }
    }

    /// An empty string for an unknown name: the theme loader has already reported it.
    func render(_ name: String, _ context: [String: Any]) -> String {
        String(decoding: renderBytes(name, context), as: UTF8.self)
    }

    /// The UTF-8 bytes of what `render` makes, for a page that goes straight to a file: no
    /// string to check and copy again on the way.
    func renderBytes(_ name: String, _ context: [String: Any]) -> [UInt8] {
        renderOutput(name, context).bytes
    }

    /// What a template made, with where the rows of its reusable tables went (`RowReuse`) and
    /// where the last `RenderedHTML` it embedded starts.
    struct Output {
        var bytes: [UInt8] = []
        var rows = RenderedRows()
        var embeddedAt: Int?
    }

    /// - Parameter capacity: the bytes to make room for at once, such as the size the page had
    ///   in the previous build: a province's summary pages run to megabytes, which grown from
    ///   nothing were copied from buffer to buffer twice their size, each new to the process.
    func renderOutput(_ name: String, _ context: [String: Any], reservingCapacity capacity: Int = 0) -> Output {
        guard let range = entries[name] else { return Output() }
        return instructions.withUnsafeBufferPointer { instructions in
            text.withUnsafeBufferPointer { text in
                var rendering = Rendering(library: self, instructions: instructions, text: text, stack: [.object(context)])
                rendering.output.reserveCapacity(capacity)
                rendering.render(range, indentation: [])
                return Output(bytes: rendering.output, rows: RenderedRows(rows: rendering.rows), embeddedAt: rendering.embeddedAt)
            }
        }
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
        let instructions: UnsafeBufferPointer<Instruction>
        let text: UnsafeBufferPointer<UInt8>
        var stack: [TemplateValue]
        var output: [UInt8] = []
        /// For each text table being repeated over, the slot of each template name (by its
        /// index in `names`; -1 for none, `unknownSlot` until asked): a disclosures table's
        /// cells were looked up by hashing the same dozen names again on every row, 5 % of a
        /// province build's CPU.
        var slotLookups: [[Int32]] = []
        static let unknownSlot: Int32 = -2
        /// The rows of reusable tables, rendered or copied, where they are in `output`.
        var rows: [RenderedRows.Row] = []
        var embeddedAt: Int?
        /// The text table row being rendered, while its frame is the top of the stack: a name
        /// that is one of its cells is written from here, where finding it through the frame
        /// and wrapping it as a value took four retains and releases per cell of a province's
        /// two million table rows.
        var row = CurrentRow()

        struct CurrentRow {
            var table: TextTable?
            var cells: [String] = []
            var width = 0
            var lookup = 0
            /// The stack's height while the row's frame is its top; none outside a row.
            var depth = -1
        }

        /// `indentation` is set inside a partial whose tag stood indented on its own line.
        mutating func render(_ range: Range<Int>, indentation: [UInt8]) {
            // swift-mustache indents an instruction's output when the output of this list so far ends a line.
            let start = output.count
            var index = range.lowerBound
            while index < range.upperBound {
                let before = output.count, rowsBefore = rows.count
                let startsLine = !indentation.isEmpty && before > start && output.last == UInt8(ascii: "\n")
                index = render(at: index, indentation: indentation)
                if startsLine, output.count > before {
                    output.insert(contentsOf: indentation, at: before)
                    // What the instruction made moved along: its rows, and an embedded page body.
                    for place in rowsBefore..<rows.count { rows[place] = rows[place].shifted(by: indentation.count) }
                    if let embedded = embeddedAt, embedded >= before { embeddedAt = embedded + indentation.count }
                }
            }
        }

        /// Renders the instruction at `index` and returns the index of the next one.
        private mutating func render(at index: Int, indentation: [UInt8]) -> Int {
            let instruction = instructions[index]
            switch instruction.kind {
            case .text:
                output.append(contentsOf: UnsafeBufferPointer(rebasing: text[instruction.operand..<(instruction.operand + instruction.count)]))
            case .escapedVariable:
                if let cell = cellOfRow(instruction.operand) {
                    HTMLEscaping.append(cell, to: &output)
                } else if let value = resolve(instruction.operand) {
                    HTMLEscaping.append(value.text, to: &output)
                }
            case .rawVariable:
                switch resolve(instruction.operand) {
                case let .html(html)?:
                    embeddedAt = output.count
                    output.append(contentsOf: html.bytes)
                case let value?: output.append(contentsOf: value.text.utf8)
                case nil: break
                }
            case .section, .invertedSection:
                let body = (index + 1)..<(index + 1 + instruction.count)
                let value = resolve(instruction.operand)
                if instruction.kind == .invertedSection {
                    if !(value?.isTruthy ?? false) { render(body, indentation: indentation) }
                } else if let value, value.isTruthy {
                    if case .flag = value {
                        render(body, indentation: indentation)
                    } else if case let .textRows(table) = value {
                        renderRows(of: table, body: body, section: index, indentation: indentation)
                    } else {
                        value.forEachItem { item in
                            stack.append(item)
                            render(body, indentation: indentation)
                            stack.removeLast()
                        }
                    }
                }
                return body.upperBound
            case .partial:
                guard instruction.operand >= 0 else { break }
                let inner = instruction.indentation.map { indentation + library.indentations[$0] } ?? indentation
                render(instruction.operand..<(instruction.operand + instruction.count), indentation: inner)
            }
            return index + 1
        }

        /// A text table's rows. A reusable table's are each copied from the page's previous
        /// build where its key is found there, else rendered, and recorded with its key.
        private mutating func renderRows(of table: TextTable, body: Range<Int>, section: Int, indentation: [UInt8]) {
            let reuse = table.reuse
            let frame = reuse == nil ? nil : frameKey(of: table, body: body, section: section, indentation: indentation)
            slotLookups.append(Array(repeating: Self.unknownSlot, count: library.names.count))
            let outer = self.row
            for row in 0..<table.count {
                let key = frame.flatMap { frame in reuse.map { RowReuse.key(frame: frame, row: $0.keys[row]) } }
                let start = output.count
                if let key, let bytes = reuse?.previous?.bytes(ofRow: key) {
                    output.append(contentsOf: bytes)
                } else {
                    let cells = table.cells(ofRow: row)
                    stack.append(.textRow(table, row: row, cells: cells, lookup: slotLookups.count - 1))
                    self.row = CurrentRow(table: table, cells: cells, width: table.width, lookup: slotLookups.count - 1, depth: stack.count)
                    render(body, indentation: indentation)
                    self.row = outer
                    stack.removeLast()
                }
                if let key { self.rows.append(RenderedRows.Row(key: key, range: start..<output.count)) }
            }
            slotLookups.removeLast()
        }

        /// A digest of what a table's rows read besides their own cells: the section's place in
        /// the theme, its indentation, and the value of every name its body (partials included)
        /// finds in the page around the table. `nil` — rows never reused — when the body repeats
        /// over a list or object of the page, whose names would come first.
        private mutating func frameKey(of table: TextTable, body: Range<Int>, section: Int, indentation: [UInt8]) -> UInt64? {
            var names: [Int] = []
            guard outerNames(in: body, of: table, list: nil, depth: 0, into: &names) else { return nil }
            var hash = StableHash()
            hash.add(section)
            hash.add(String(decoding: indentation, as: UTF8.self))
            for name in names {
                hash.add(name)
                switch resolve(name) {
                case nil: hash.add(nil as String?)
                case let .text(text)?: hash.add(text)
                case let .flag(flag)?: hash.add(flag)
                case let .html(html)?: hash.add(Data(html.bytes))
                case let .other(box)?: hash.add(String(describing: box.value))
                default: return nil
                }
            }
            return hash.word
        }

        /// The names in `range` that a row does not hold (nor, inside one of its lists, the
        /// list's item). False where a section repeats over the page's own lists or objects.
        private func outerNames(in range: Range<Int>, of table: TextTable, list: [String: Int]?, depth: Int, into names: inout [Int]) -> Bool {
            // Partials that include each other are refused when the theme loads; this only bounds the walk.
            guard depth < 64 else { return false }
            func isRows(_ nameIndex: Int) -> Bool {
                let name = library.names[nameIndex]
                guard let first = name.path.first, !name.currentItemOnly else { return true }
                return table.slots[first] != nil || list?[first] != nil
            }
            var index = range.lowerBound
            while index < range.upperBound {
                let instruction = instructions[index]
                switch instruction.kind {
                case .text:
                    break
                case .escapedVariable, .rawVariable:
                    if !isRows(instruction.operand) { names.append(instruction.operand) }
                case .section, .invertedSection:
                    let body = (index + 1)..<(index + 1 + instruction.count)
                    let first = library.names[instruction.operand].path.first
                    if list == nil, let first, let items = table.itemSlots(ofList: first) {
                        guard outerNames(in: body, of: table, list: items, depth: depth, into: &names) else { return false }
                    } else {
                        // Over a cell, a flag or text: the body reads what the row reads. A page's
                        // value that is neither makes `frameKey` give up.
                        if !isRows(instruction.operand) { names.append(instruction.operand) }
                        guard outerNames(in: body, of: table, list: list, depth: depth, into: &names) else { return false }
                    }
                    index = body.upperBound
                    continue
                case .partial:
                    guard instruction.operand >= 0 else { break }
                    guard outerNames(in: instruction.operand..<(instruction.operand + instruction.count), of: table, list: list, depth: depth + 1, into: &names) else { return false }
                }
                index += 1
            }
            return true
        }

        /// The cell the name at `nameIndex` is in the row on top of the stack, as `resolve` finds
        /// it; `nil` when the top frame is not a row, or the name is not one of its cells.
        private mutating func cellOfRow(_ nameIndex: Int) -> String? {
            guard stack.count == row.depth, library.isOneWord[nameIndex] else { return nil }
            var slot = slotLookups[row.lookup][nameIndex]
            if slot == Self.unknownSlot {
                // As `resolve` keeps it.
                slot = Int32(row.table?.slots[library.names[nameIndex].path[0]] ?? -1)
                slotLookups[row.lookup][nameIndex] = slot
            }
            guard slot >= 0, Int(slot) < row.width else { return nil }
            return row.cells[Int(slot)]
        }

        /// The first enclosing item with the first part of the name at `nameIndex`, then the
        /// rest of the path inside it.
        private mutating func resolve(_ nameIndex: Int) -> TemplateValue? {
            let name = library.names[nameIndex]
            guard let first = name.path.first else { return stack.last }
            var found: TemplateValue?
            if name.currentItemOnly {
                found = stack.last?.member(first)
            } else {
                // By index: each frame is read where it stands instead of copied out, a retain
                // and a release per frame on every name of every page.
                for index in stack.indices.reversed() {
                    if case let .textRow(table, row, cells, lookup) = stack[index] {
                        var slot = slotLookups[lookup][nameIndex]
                        if slot == Self.unknownSlot {
                            slot = Int32(table.slots[first] ?? -1)
                            slotLookups[lookup][nameIndex] = slot
                        }
                        guard slot >= 0 else { continue }
                        found = table.value(inSlot: Int(slot), row: row, cells: cells)
                        break
                    }
                    if let value = stack[index].member(first) {
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
