import Foundation

/// What the site published, as the next build compares it: the enterprises' statuses, every
/// disclosed amount, the blacklist, and the change log so far. The previous build leaves it in
/// the output folder (`data/snapshot.json`); its format is versioned and documented in
/// `docs/content-format.md`, so a newer Clearwater reads what an older one wrote.
public struct Snapshot: Sendable {
    public static let path = "data/snapshot.json"
    static let formatName = "clearwater-snapshot"
    static let currentVersion = 1

    public struct EnterpriseState: Sendable, Equatable {
        var name: [String: String]
        var status: String
    }

    public struct ListingState: Sendable, Equatable {
        var enterpriseID: String
        var active: Bool
    }

    var format = Snapshot.formatName
    var version = Snapshot.currentVersion
    /// By enterprise id.
    var enterprises: [String: EnterpriseState]
    /// The `enterprises` member as `encoded()` writes it, made with a site's snapshot: the next
    /// build finds its enterprises unchanged when its file holds these bytes, where reading ten
    /// thousand enterprises back, comparing and freeing them was 3 % of a row rebuild's CPU.
    private(set) var enterprisesJSON: [UInt8]?
    /// A snapshot read from a file without its enterprises (`read(from:amountsAt:)`): the member's
    /// bytes, read only when they are not the current snapshot's (`readEnterprises(comparingWith:)`).
    private var unreadEnterprises: ArraySlice<UInt8>?
    /// Every disclosed amount, in kilograms, as a snapshot file held them; `nil` in a site's
    /// snapshot, which writes its amounts from the site (`PublishedAmounts`), and in a file's
    /// read without them.
    var disclosures: DisclosedAmounts?
    /// By violation id.
    var blacklist: [String: ListingState]
    /// Every change found so far, oldest first; a change's position is its permanent number.
    public var changes: [Change]

    /// The published state of a site, with the change log it carries forward.
    init(site: Site, changes: [Change]) {
        enterprises = Dictionary(uniqueKeysWithValues: site.enterprises.map { ($0.id, EnterpriseState(name: $0.name.values, status: $0.status)) })
        disclosures = nil
        var json: [UInt8] = []
        Self.appendEnterprises(enterprises, to: &json)
        enterprisesJSON = json
        blacklist = Dictionary(uniqueKeysWithValues: site.violations.map { ($0.id, ListingState(enterpriseID: $0.enterpriseID, active: $0.isActive(on: site.referenceDay))) })
        self.changes = changes
    }

    /// Sorted keys and no whitespace: the same state always gives the same bytes. Written by
    /// hand for the three big maps, as `JSONEncoder` with sorted keys would write them but for
    /// `JSONText`'s escapes: the encoder took two seconds over half a million disclosures; the
    /// change log still goes through it. The amounts are those the snapshot was read with.
    func encoded() -> [UInt8] {
        encoded { json in (disclosures ?? DisclosedAmounts([])).appendJSON(to: &json) }
    }

    /// The same, with the amounts' object written by `appendDisclosures`.
    ///
    /// - Parameter capacity: the bytes to make room for at once, such as the previous
    ///   snapshot's size and some: grown from nothing, a province's 17–26 MB were copied from
    ///   buffer to buffer twice their size, each new to the process, and this VM is slow to hand
    ///   over new pages (`docs/performance.md`, twenty-first session): 12,100 page faults here
    ///   in a row rebuild of the varied L, 3,800 with the room made at once.
    func encoded(reservingCapacity capacity: Int = 0, appendingDisclosures appendDisclosures: (inout [UInt8]) -> Void) -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(capacity)
        json += "{\"blacklist\":".utf8
        Self.appendObject(blacklist.sorted { $0.key < $1.key }, to: &json) { listing, json in
            json += "{\"active\":\(listing.active),\"enterprise_id\":".utf8
            JSONText.append(quoted: listing.enterpriseID, to: &json)
            json.append(UInt8(ascii: "}"))
        }
        json += ",\"changes\":".utf8
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        json += (try? encoder.encode(changes)) ?? Data("[]".utf8)
        json += ",\"disclosures\":".utf8
        appendDisclosures(&json)
        json += ",\"enterprises\":".utf8
        if let written = enterprisesJSON ?? unreadEnterprises.map(Array.init) { json += written } else { Self.appendEnterprises(enterprises, to: &json) }
        json += ",\"format\":".utf8
        JSONText.append(quoted: format, to: &json)
        json += ",\"version\":\(version)}\n".utf8
        return json
    }

    private static func appendEnterprises(_ enterprises: [String: EnterpriseState], to json: inout [UInt8]) {
        appendObject(enterprises.sorted { $0.key < $1.key }, to: &json) { enterprise, json in
            json += "{\"name\":".utf8
            appendObject(enterprise.name.sorted { $0.key < $1.key }, to: &json) { JSONText.append(quoted: $0, to: &$1) }
            json += ",\"status\":".utf8
            JSONText.append(quoted: enterprise.status, to: &json)
            json.append(UInt8(ascii: "}"))
        }
    }

    /// The enterprises of a snapshot read without them: `current`'s own table where the file
    /// held the bytes `current` writes, which is the case unless an enterprise was added,
    /// removed, renamed or changed status; else read from the bytes.
    mutating func readEnterprises(comparingWith current: Snapshot) throws {
        guard let unread = unreadEnterprises else { return }
        if let written = current.enterprisesJSON, unread.count == written.count,
           unread.withUnsafeBytes({ unread in written.withUnsafeBytes { unread.isEmpty || memcmp(unread.baseAddress!, $0.baseAddress!, unread.count) == 0 } }) {
            enterprises = current.enterprises
        } else {
            var reader = JSONReader(Array(unread))
            enterprises = try reader.readMap { try EnterpriseState(reading: &$0, id: $1) }
            try reader.expectEnd()
        }
        unreadEnterprises = nil
    }

    /// An object of `entries`, already sorted by key.
    private static func appendObject<Value>(_ entries: some Sequence<(key: String, value: Value)>, to json: inout [UInt8], _ appendValue: (Value, inout [UInt8]) -> Void) {
        json.append(UInt8(ascii: "{"))
        for (index, entry) in entries.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            JSONText.append(quoted: entry.key, to: &json)
            json.append(UInt8(ascii: ":"))
            appendValue(entry.value, &json)
        }
        json.append(UInt8(ascii: "}"))
    }

    /// The snapshot a previous build left, `nil` on a first build; a file that is not a
    /// snapshot this version understands is an error rather than a silently lost history.
    ///
    /// `amountsAt`: where the previous build recorded its amounts' members (`EnterpriseChunks`),
    /// for a build that reads the few it needs from there. The snapshot is then read without
    /// those bytes, only the enterprises, the blacklist and the change log: the amounts are
    /// nine tenths of a province's 17 MB, and reading and passing over them took a twentieth of a
    /// second. Should the file not read that way, it is read whole.
    static func read(from output: URL, amountsAt amounts: Range<Int>? = nil) throws -> Snapshot? {
        let file = output.appendingPathComponent(path)
        if let amounts, let json = Self.bytes(of: file.path, leavingOut: amounts), let snapshot = try? Snapshot(json: json, readingAmounts: false, readingEnterprises: false),
           snapshot.format == formatName, snapshot.version <= currentVersion {
            return snapshot
        }
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let snapshot: Snapshot
        do {
            snapshot = try Snapshot(json: Array(data), readingAmounts: amounts == nil)
        } catch {
            throw Unreadable(path: file.path, reason: "it is not a Clearwater snapshot (\(error))")
        }
        guard snapshot.format == formatName, snapshot.version <= currentVersion else {
            throw Unreadable(path: file.path, reason: "format '\(snapshot.format)' version \(snapshot.version) is newer than this Clearwater understands (\(currentVersion))")
        }
        return snapshot
    }

    /// The file's bytes before `range` and after it; `nil` when it cannot be read so.
    private static func bytes(of path: String, leavingOut range: Range<Int>) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), range.lowerBound >= 0, range.upperBound <= size,
              (try? handle.seek(toOffset: 0)) != nil, let head = try? handle.read(upToCount: range.lowerBound) ?? Data(), head.count == range.lowerBound,
              (try? handle.seek(toOffset: UInt64(range.upperBound))) != nil, let tail = try? handle.readToEnd() ?? Data() else { return nil }
        return Array(head) + Array(tail)
    }

    /// Reads what `encoded()` writes, keys in any order and unknown keys passed over; the
    /// change log, small beside the rest, through its `Codable` conformance.
    ///
    /// - Parameter readingEnterprises: without, the enterprises are only found, for
    ///   `readEnterprises(comparingWith:)` to read when they differ from the current ones.
    init(json: [UInt8], readingAmounts: Bool = true, readingEnterprises: Bool = true) throws {
        var reader = JSONReader(json)
        var format: String?, version: Int?, changes: [Change]?
        var enterprises: [String: EnterpriseState]?, disclosures: DisclosedAmounts?, blacklist: [String: ListingState]?
        var unreadEnterprises: ArraySlice<UInt8>?
        var hasDisclosures = false
        try reader.readObject { reader, key in
            switch key {
            case "format": format = try reader.readString()
            case "version": version = try reader.readInt()
            case "disclosures":
                hasDisclosures = true
                if readingAmounts { disclosures = try DisclosedAmounts(reading: &reader) } else { _ = try reader.skipValue() }
            case "changes": changes = try JSONDecoder().decode([Change].self, from: Data(reader.skipValue()))
            case "enterprises" where !readingEnterprises:
                unreadEnterprises = try reader.skipValue()
                enterprises = [:]
            case "enterprises": enterprises = try reader.readMap { try EnterpriseState(reading: &$0, id: $1) }
            case "blacklist": blacklist = try reader.readMap { try ListingState(reading: &$0, id: $1) }
            default: _ = try reader.skipValue()
            }
        }
        try reader.expectEnd()
        guard let format else { throw Missing(key: "format") }
        guard let version else { throw Missing(key: "version") }
        guard let enterprises else { throw Missing(key: "enterprises") }
        guard hasDisclosures else { throw Missing(key: "disclosures") }
        guard let blacklist else { throw Missing(key: "blacklist") }
        guard let changes else { throw Missing(key: "changes") }
        (self.format, self.version, self.enterprises, self.disclosures, self.blacklist, self.changes) = (format, version, enterprises, disclosures, blacklist, changes)
        self.unreadEnterprises = unreadEnterprises
    }

    fileprivate struct Missing: Error, CustomStringConvertible {
        let key: String
        var description: String { "\(key) missing" }
    }

    struct Unreadable: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read the previous build's snapshot \(path): \(reason); move it away to start a new change log" }
    }
}

/// Equal when they publish the same: the bytes a site's snapshot writes its register from
/// (`enterprisesJSON`) do not count; a register not yet read (`readEnterprises`) counts as its bytes.
extension Snapshot: Equatable {
    public static func == (lhs: Snapshot, rhs: Snapshot) -> Bool {
        (lhs.format, lhs.version, lhs.enterprises, lhs.blacklist, lhs.changes) == (rhs.format, rhs.version, rhs.enterprises, rhs.blacklist, rhs.changes)
            && lhs.disclosures == rhs.disclosures && lhs.unreadEnterprises == rhs.unreadEnterprises
    }
}

private extension Snapshot.EnterpriseState {
    init(reading reader: inout JSONReader, id: String) throws {
        var name: [String: String]?, status: String?
        try reader.readObject { reader, field in
            switch field {
            case "name": name = try reader.readStringObject()
            case "status": status = try reader.readString()
            default: _ = try reader.skipValue()
            }
        }
        guard let name, let status else { throw Snapshot.Missing(key: "name and status of enterprise '\(id)'") }
        self.init(name: name, status: status)
    }
}

private extension Snapshot.ListingState {
    init(reading reader: inout JSONReader, id: String) throws {
        var enterpriseID: String?, active: Bool?
        try reader.readObject { reader, field in
            switch field {
            case "enterprise_id": enterpriseID = try reader.readString()
            case "active": active = try reader.readBool()
            default: _ = try reader.skipValue()
            }
        }
        guard let enterpriseID, let active else { throw Snapshot.Missing(key: "enterprise_id and active of listing '\(id)'") }
        self.init(enterpriseID: enterpriseID, active: active)
    }
}
