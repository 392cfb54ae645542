@testable import ClearwaterCore
import Foundation
import Testing
import TestSupport

@Suite struct SnapshotTests {
    static let json = #"""
    { "version": 1, "format": "clearwater-snapshot", "later": [1, -2.5e3, {"a": null, "b": [true, false]}, "x"],
      "blacklist": {"v-1": {"enterprise_id": "a", "active": true, "note": {}}, "v-2": {"active": false, "enterprise_id": "b"}},
      "changes": [{"date": "2021-01-01", "kind": "enterprise_added", "enterprise_id": "a", "enterprise_name": {"zh": "甲"}, "after": "operating"}],
      "disclosures": {"a|2020|Pb|air": "1.5", "b|2020|Hg|water": "0", "c\"\u5f15<|2020|Pb|air": "2"},
      "enterprises": {"a": {"name": {"zh": "甲\"引\\号\u003c\ud83d\ude00", "en": "A\nB\/\t"}, "status": "operating"}, "b": {"status": "closed", "name": {}}}}
    """#

    /// The snapshot is read by hand (`JSONReader`), so it must read what it writes, every
    /// escape JSON allows, keys in any order and keys a later version may add.
    @Test func readsWhatItWritesAndAnyValidLayout() throws {
        let snapshot = try Snapshot(json: Array(Self.json.utf8))
        #expect(snapshot.enterprises["a"]?.name == ["zh": "甲\"引\\号<😀", "en": "A\nB/\t"])
        #expect(snapshot.enterprises["b"]?.status == "closed")
        #expect(snapshot.disclosures?.entries == [.init(key: "a|2020|Pb|air", kilograms: "1.5"), .init(key: "b|2020|Hg|water", kilograms: "0"),
                                                 .init(key: "c\"引<|2020|Pb|air", kilograms: "2")])
        #expect(snapshot.blacklist["v-1"]?.active == true && snapshot.blacklist["v-2"]?.enterpriseID == "b")
        #expect(snapshot.changes.map(\.enterpriseName) == [["zh": "甲"]])
        #expect(try Snapshot(json: Array(snapshot.encoded())) == snapshot)
    }

    /// A build that knows the previous snapshot's parts reads it without its amounts: the rest
    /// must be as read whole, and a damaged or cut file still an error, amounts and all.
    @Test func readsWithoutItsAmountsAllButThem() throws {
        let bytes = Array(Self.json.utf8)
        let whole = try Snapshot(json: bytes)
        var without = try Snapshot(json: bytes, readingAmounts: false)
        #expect(without.disclosures == nil)
        without.disclosures = whole.disclosures
        #expect(without == whole)
        // Without its enterprises too: they are found, written back as they were, and read once
        // compared with a snapshot that was not made from a site (and so has no bytes of its own).
        var lazy = try Snapshot(json: bytes, readingAmounts: false, readingEnterprises: false)
        lazy.disclosures = whole.disclosures
        #expect(lazy != whole && lazy.enterprises.isEmpty)
        #expect(try Snapshot(json: lazy.encoded()) == whole)
        try lazy.readEnterprises(comparingWith: whole)
        #expect(lazy == whole)
        for end in 0..<bytes.count {
            #expect(throws: (any Error).self) { try Snapshot(json: Array(bytes[..<end]), readingAmounts: false) }
        }
        let noAmounts = #"{"format": "clearwater-snapshot", "version": 1, "enterprises": {}, "blacklist": {}, "changes": []}"#
        #expect(throws: (any Error).self) { try Snapshot(json: Array(noAmounts.utf8), readingAmounts: false) }
        #expect(try Snapshot(json: Array(noAmounts.replacingOccurrences(of: "{}, \"changes", with: "{}, \"disclosures\": {\"a\\\"|1\": \"2\"}, \"changes").utf8), readingAmounts: false).disclosures == nil)
    }

    /// Given where the previous build put the amounts, a build reads the snapshot's file around
    /// them: bytes put there in their place are never read, while a read of the whole file
    /// finds them; a place that does not fit the file falls back to the whole file.
    @Test func theAmountsPlaceIsLeftUnread() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let snapshot = try Snapshot(json: Array(Self.json.utf8))
        var bytes = snapshot.encoded()
        let opening = Array(#""disclosures":{"#.utf8), closing = Array(#"},"enterprises""#.utf8)
        let start = try #require((0...(bytes.count - opening.count)).first { bytes[$0..<($0 + opening.count)].elementsEqual(opening) }) + opening.count
        let end = try #require((start...(bytes.count - closing.count)).first { bytes[$0..<($0 + closing.count)].elementsEqual(closing) })
        for index in start..<end { bytes[index] = UInt8(ascii: "@") }
        try Data(bytes).write(to: output.appendingPathComponent(Snapshot.path))

        var read = try #require(try Snapshot.read(from: output, amountsAt: start..<end))
        // Nor its enterprises, until compared with the current ones.
        #expect(read.disclosures == nil && read.enterprises.isEmpty)
        read.disclosures = snapshot.disclosures
        try read.readEnterprises(comparingWith: snapshot)
        #expect(read == snapshot)
        #expect(throws: Snapshot.Unreadable.self) { try Snapshot.read(from: output) }
        #expect(throws: Snapshot.Unreadable.self) { try Snapshot.read(from: output, amountsAt: (start + 1)..<end) }
        #expect(throws: Snapshot.Unreadable.self) { try Snapshot.read(from: output, amountsAt: start..<(bytes.count + 1)) }
    }

    /// Every truncation of the file and every broken byte is an error, never a crash or a
    /// snapshot with parts missing.
    @Test func aDamagedSnapshotIsAnError() {
        let bytes = Array(Self.json.utf8)
        for end in 0..<bytes.count {
            #expect(throws: (any Error).self) { try Snapshot(json: Array(bytes[..<end])) }
        }
        for (position, byte) in bytes.enumerated() where "{}[]\":,\\".utf8.contains(byte) {
            var damaged = bytes
            damaged[position] = UInt8(ascii: "#")
            _ = try? Snapshot(json: damaged)
        }
        #expect(throws: (any Error).self) { try Snapshot(json: Array(#"{"format": "clearwater-snapshot", "version": 1}"#.utf8)) }
        #expect(throws: (any Error).self) { try Snapshot(json: Array(#""\ud800""#.utf8)) }
    }

    /// The amounts are compared by walking two sorted lists: the differences must be what
    /// comparing two dictionaries gives, whatever order the entries came in and with keys given twice.
    @Test func amountsDifferAsTwoDictionariesDiffer() {
        var random = SeededGenerator(seed: 7)
        let texts = ["0", "1.5", "1.50", "2", "10.25"]
        for _ in 0..<200 {
            func amounts() -> [DisclosedAmounts.Entry] {
                (0..<Int.random(in: 0...12, using: &random)).map { _ in
                    .init(key: "e\(Int.random(in: 1...9, using: &random))|2020|Pb|air", kilograms: texts.randomElement(using: &random)!)
                }
            }
            let (then, now) = (amounts(), amounts())
            // A dictionary built from the same entries: of a key given twice, the first.
            let (old, new) = (Dictionary(then.map { ($0.key, $0.kilograms) }) { first, _ in first },
                              Dictionary(now.map { ($0.key, $0.kilograms) }) { first, _ in first })
            var expected: [String] = []
            for key in Set(old.keys).union(new.keys).sorted() {
                switch (old[key], new[key]) {
                case let (nil, after?): expected.append("added \(key) \(after)")
                case let (before?, nil): expected.append("removed \(key) \(before)")
                case let (before?, after?) where Decimal(string: before) != Decimal(string: after): expected.append("changed \(key) \(before) \(after)")
                default: break
                }
            }
            let sorted = DisclosedAmounts(now)
            #expect(sorted.entries.map(\.key) == new.keys.sorted())
            #expect(sorted.entries.allSatisfy { new[$0.key] == $0.kilograms })
            let found = sorted.differences(from: DisclosedAmounts(then)).map { difference in
                switch difference {
                case let .added(entry): "added \(entry.key) \(entry.kilograms)"
                case let .removed(entry): "removed \(entry.key) \(entry.kilograms)"
                case let .changed(before, after): "changed \(after.key) \(before.kilograms) \(after.kilograms)"
                }
            }
            #expect(found == expected, "from \(then) to \(now)")
        }
    }

    /// A snapshot puts each enterprise's amounts in order as its group ends; the whole list
    /// must still end in key order, even for ids one of which begins another (`e1`, `e1a`,
    /// `e1-b`), which sort otherwise as ids than as keys, and for tails of any length.
    @Test func amountsOrderedGroupByGroupEndInKeyOrder() {
        var random = SeededGenerator(seed: 11)
        let ids = ["e1", "e1a", "e1-b", "e2", "e10", "甲"]
        let tails = ["2016|Pb|air", "2016|Pb|water", "2016|P|air", "2020|As|air", "999|Pb|air", "2016|Pbx|air", "2"]
        for _ in 0..<100 {
            let groups = ids.shuffled(using: &random).prefix(Int.random(in: 1...ids.count, using: &random)).sorted()
            var keys: [String] = []
            let amounts = DisclosedAmounts { amounts in
                for id in groups {
                    for tail in tails.shuffled(using: &random).prefix(Int.random(in: 1...tails.count, using: &random)) {
                        let key = id + "|" + tail
                        keys.append(key)
                        amounts.append { $0 += key.utf8 } kilograms: { $0 += String(keys.count).utf8 }
                    }
                    amounts.closeGroup(sharing: id.utf8.count + 1)
                }
            }
            let expected = keys.indices.sorted { Array(keys[$0].utf8).lexicographicallyPrecedes(Array(keys[$1].utf8)) }
            #expect(amounts.entries == expected.map { DisclosedAmounts.Entry(key: keys[$0], kilograms: String($0 + 1)) })
        }
    }
}
