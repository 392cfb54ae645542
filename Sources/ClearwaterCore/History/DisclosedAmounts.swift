import Foundation

/// Every amount a snapshot records, sorted by key, each key once.
///
/// Half a million of them at province scale. Kept as a sorted list rather than a dictionary,
/// the snapshot writes them without sorting, reads them without hashing, and two snapshots
/// are compared by walking both lists side by side. The keys and amounts lie as UTF-8 in one
/// buffer: a `String` per key, each an allocation of its own, was most of making, reading,
/// comparing and freeing a snapshot.
struct DisclosedAmounts: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        /// `enterprise_id|year|pollutant|medium`.
        let key: String
        /// Kilograms, as exact decimal text.
        let kilograms: String
    }

    /// Each entry's key, then its amount.
    private var text: [UInt8] = []
    /// Where each entry starts in `text`, and how long its key and its amount are; in key order
    /// once `order()` has run.
    private var spans: [Span] = []
    /// Where the group being appended began (`closeGroup(sharing:)`).
    private var groupStart = 0

    private struct Span {
        let start: Int
        let keyLength: Int32
        let amountLength: Int32

        var key: Range<Int> { start..<(start + Int(keyLength)) }
        var amount: Range<Int> { key.upperBound..<(key.upperBound + Int(amountLength)) }
    }

    var count: Int { spans.count }
    var entries: [Entry] { spans.indices.map(entry) }

    init(_ entries: [Entry]) {
        self.init { amounts in
            for entry in entries {
                amounts.append { $0.append(contentsOf: entry.key.utf8) } kilograms: { $0.append(contentsOf: entry.kilograms.utf8) }
            }
        }
    }

    /// Entries written straight into the buffer by `fill`, in any order.
    init(_ fill: (inout DisclosedAmounts) throws -> Void) rethrows {
        try fill(&self)
        order()
    }

    /// Adds an entry whose key and amount `key` and `kilograms` append to the buffer.
    mutating func append(key: (inout [UInt8]) throws -> Void, kilograms: (inout [UInt8]) throws -> Void) rethrows {
        let start = text.count
        try key(&text)
        let amountStart = text.count
        try kilograms(&text)
        spans.append(Span(start: start, keyLength: Int32(amountStart - start), amountLength: Int32(text.count - amountStart)))
    }

    /// Puts the entries appended since the last group closed in key order; their keys share
    /// their first `shared` bytes. Entries that come in such groups, the groups in the order of
    /// what they share, then need no sort of the whole list: at province scale that sort was a
    /// third of making a snapshot.
    mutating func closeGroup(sharing shared: Int) {
        let group = groupStart..<spans.count
        groupStart = spans.count
        guard group.count > 1 else { return }
        spans[group] = text.withUnsafeBufferPointer { text in
            // The eight bytes after those shared, as one number, compared first.
            let keyed = spans[group].map { span in (head: Self.head(text, span.key.dropFirst(shared)), span: span) }
            return ArraySlice(keyed.sorted { first, second in
                if first.head != second.head { return first.head < second.head }
                let order = Self.compare(text, first.span.key, text, second.span.key)
                return order != 0 ? order < 0 : first.span.start < second.span.start
            }.map(\.span))
        }
    }

    private func entry(_ index: Int) -> Entry {
        Entry(key: String(decoding: text[spans[index].key], as: UTF8.self), kilograms: String(decoding: text[spans[index].amount], as: UTF8.self))
    }

    /// A list already in order, as a snapshot file holds it, is only checked; otherwise it is
    /// sorted by the keys' UTF-8 bytes, which is the order of their Unicode scalars, and of a
    /// key given twice, which a valid site never has, the first is kept.
    private mutating func order() {
        let isOrdered = text.withUnsafeBufferPointer { text in
            spans.indices.dropFirst().allSatisfy { Self.compare(text, spans[$0 - 1].key, text, spans[$0].key) < 0 }
        }
        guard !isOrdered else { return }
        spans = text.withUnsafeBufferPointer { text in
            // The first eight bytes as one number, compared first: most comparisons end there.
            let keyed = spans.enumerated().map { index, span in (head: Self.head(text, span.key), index: index, span: span) }
            let sorted = keyed.sorted { first, second in
                if first.head != second.head { return first.head < second.head }
                let order = Self.compare(text, first.span.key, text, second.span.key)
                return order != 0 ? order < 0 : first.index < second.index
            }
            var kept: [Span] = []
            kept.reserveCapacity(sorted.count)
            for entry in sorted where kept.last.map({ Self.compare(text, $0.key, text, entry.span.key) != 0 }) ?? true {
                kept.append(entry.span)
            }
            return kept
        }
    }

    private static func head(_ text: UnsafeBufferPointer<UInt8>, _ key: Range<Int>) -> UInt64 {
        var head: UInt64 = 0
        for offset in 0..<8 {
            head = head << 8 | UInt64(offset < key.count ? text[key.lowerBound + offset] : 0)
        }
        return head
    }

    /// Negative, zero or positive as the bytes at `first` in `one` sort before, with or after
    /// those at `second` in `other`.
    private static func compare(_ one: UnsafeBufferPointer<UInt8>, _ first: Range<Int>, _ other: UnsafeBufferPointer<UInt8>, _ second: Range<Int>) -> Int {
        let shared = min(first.count, second.count)
        let order = shared == 0 ? 0 : memcmp(one.baseAddress! + first.lowerBound, other.baseAddress! + second.lowerBound, shared)
        return order != 0 ? Int(order) : first.count - second.count
    }

    enum Difference {
        case added(Entry)
        case removed(Entry)
        /// The same key with another amount: the entry before, and the entry now.
        case changed(Entry, Entry)
    }

    /// What differs from `previous`, in key order. Texts that differ may still be equal
    /// amounts (`1.50` and `1.5`); those are not a difference.
    func differences(from previous: DisclosedAmounts) -> [Difference] {
        var differences: [Difference] = []
        var (old, new) = (0, 0)
        while old < previous.count || new < count {
            let order = old == previous.count ? 1 : new == count ? -1 : previous.text.withUnsafeBufferPointer { then in
                text.withUnsafeBufferPointer { now in Self.compare(then, previous.spans[old].key, now, spans[new].key) }
            }
            if order < 0 {
                differences.append(.removed(previous.entry(old)))
                old += 1
            } else if order > 0 {
                differences.append(.added(entry(new)))
                new += 1
            } else {
                if !previous.text[previous.spans[old].amount].elementsEqual(text[spans[new].amount]) {
                    let (before, after) = (previous.entry(old), entry(new))
                    if Decimal(string: before.kilograms) != Decimal(string: after.kilograms) { differences.append(.changed(before, after)) }
                }
                old += 1
                new += 1
            }
        }
        return differences
    }

    static func == (first: DisclosedAmounts, second: DisclosedAmounts) -> Bool {
        first.count == second.count && first.spans.indices.allSatisfy { index in
            first.text[first.spans[index].key].elementsEqual(second.text[second.spans[index].key])
                && first.text[first.spans[index].amount].elementsEqual(second.text[second.spans[index].amount])
        }
    }

    /// The JSON object of every key and amount, in key order.
    func appendJSON(to json: inout [UInt8]) {
        json.append(UInt8(ascii: "{"))
        appendMembers(to: &json)
        json.append(UInt8(ascii: "}"))
    }

    /// The object's members without its braces: `"key":"amount"`, comma-separated.
    func appendMembers(to json: inout [UInt8]) {
        for (index, span) in spans.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            JSONText.append(quotedUTF8: text[span.key], to: &json)
            json.append(UInt8(ascii: ":"))
            JSONText.append(quotedUTF8: text[span.amount], to: &json)
        }
    }

    /// Reads what `appendJSON` writes, each key and amount straight into the buffer.
    init(reading reader: inout JSONReader) throws {
        var spans: [Span] = []
        try reader.readStringPairs(into: &text) { start, keyLength, amountLength in
            spans.append(Span(start: start, keyLength: Int32(keyLength), amountLength: Int32(amountLength)))
        }
        self.spans = spans
        order()
    }
}
