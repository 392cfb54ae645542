import Foundation

/// A large table's rows copied from the page's previous build instead of made and rendered
/// again: at province scale the directory and a metal's emitters have ten thousand rows each,
/// and after one changed disclosure one of them differs.
///
/// Each row has a key that digests everything its cells are made from (the page says what,
/// `RowKeys`). The rendering adds a digest of the row template and of every value it reads
/// from the page around the table (`TemplateLibrary`), so a row is copied only when its bytes
/// would be the same. Where the rows went is recorded in the build manifest with the page.
struct RowReuse {
    /// A key per row of the table, by the row's index.
    let keys: [UInt64]
    /// The page's previous build, when the manifest vouches for it and records its rows.
    let previous: PreviousRows?

    /// A row's key within its section: both halves are already digests, so mixing them is enough.
    static func key(frame: UInt64, row: UInt64) -> UInt64 {
        var mixed = frame ^ (row &* 0x9E37_79B9_7F4A_7C15)
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// The rows a page's build rendered or copied, where they lie in the page, in page order.
struct RenderedRows: Sendable, Equatable {
    struct Row: Sendable, Equatable {
        let key: UInt64
        let range: Range<Int>

        /// Moved along by `offset` bytes: by indentation put before it, or with its page body into the layout.
        func shifted(by offset: Int) -> Row {
            Row(key: key, range: (range.lowerBound + offset)..<(range.upperBound + offset))
        }
    }

    var rows: [Row] = []

    /// Sixteen bytes a row, as Base64: one manifest line per page rather than a line per row,
    /// which at province scale would have tripled the manifest every rebuild reads.
    var encoded: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * 16)
        for row in rows {
            for value in [row.key, UInt64(row.range.lowerBound) << 32 | UInt64(row.range.count)] {
                withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
            }
        }
        return Data(bytes).base64EncodedString()
    }

    init(rows: [Row] = []) {
        self.rows = rows
    }

    /// `nil` for text that `encoded` did not make.
    init?(encoded: some StringProtocol) {
        guard let data = Data(base64Encoded: String(encoded)), data.count % 16 == 0 else { return nil }
        var words = [UInt64](repeating: 0, count: data.count / 8)
        _ = words.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        rows = stride(from: 0, to: words.count, by: 2).map { index in
            let place = UInt64(bigEndian: words[index + 1])
            let start = Int(place >> 32)
            return Row(key: UInt64(bigEndian: words[index]), range: start..<(start + Int(place & 0xFFFF_FFFF)))
        }
    }

    /// Shifted by `offset`: a body's rows, once the body is in its layout.
    func shifted(by offset: Int) -> RenderedRows {
        RenderedRows(rows: rows.map { $0.shifted(by: offset) })
    }
}

/// The part of a row's `RowReuse` key that the page gives: the site-wide inputs every page
/// reads (`RouteInputs`), the page, the records of the row's enterprise, and the figures from
/// beyond those records that the row shows, such as its place in name order.
struct RowKeys: Sendable {
    let siteWide: String
    /// Each enterprise's records digest, by its id, hashed as the start of its rows' keys: once
    /// per build, rather than again for every row of every summary table in every language.
    private let records: [String: UInt64]

    init(siteWide: String, records: [String: ContentDigest]) {
        self.siteWide = siteWide
        self.records = records.mapValues { Self.hash($0, continuing: Self.start) }
    }

    /// The keys of one page's rows: what they all share is hashed once.
    func page(_ path: String) -> Page {
        var hash = StableHash()
        hash.add(siteWide)
        hash.add(path)
        return Page(prefix: hash.word, records: records)
    }

    struct Page {
        let prefix: UInt64
        fileprivate let records: [String: UInt64]

        /// FNV-1a over the records digest (a 128-bit digest already) and the figures, mixed with the
        /// page's prefix: a SHA-256 for each of the summary tables' rows was a tenth of a second
        /// of a province's full build.
        func key(enterprise id: String, showing figures: [String]) -> UInt64? {
            guard var hash = records[id] else { return nil }
            for text in figures { hash = RowKeys.hash(text.utf8, continuing: hash) }
            return RowReuse.key(frame: prefix, row: hash)
        }
    }

    private static let start: UInt64 = 0xCBF2_9CE4_8422_2325

    /// FNV-1a over the text's bytes, then over 0xFF, which UTF-8 never has, to end the text.
    private static func hash(_ text: some Sequence<UInt8>, continuing hash: UInt64) -> UInt64 {
        var hash = hash
        for byte in text { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return (hash ^ 0xFF) &* 0x100_0000_01B3
    }

    /// The same over a digest's hex digits (`ContentDigest.hex`).
    private static func hash(_ digest: ContentDigest, continuing hash: UInt64) -> UInt64 {
        var digits: [UInt8] = []
        digest.appendHex(to: &digits)
        return Self.hash(digits, continuing: hash)
    }
}

/// A page's previous bytes, and where its rows are by key.
struct PreviousRows: Sendable {
    /// Mapped, not read: a province's summary pages run to megabytes each, which read into a
    /// buffer and copied into another were memory the process touched for the first time.
    private let file: MappedFile
    private let ranges: [UInt64: Range<Int>]

    init(file: MappedFile, rows: RenderedRows) {
        self.file = file
        ranges = Dictionary(rows.rows.filter { $0.range.upperBound <= file.bytes.count }.map { ($0.key, $0.range) }, uniquingKeysWith: { first, _ in first })
    }

    /// The page's size in bytes.
    var size: Int { file.bytes.count }

    /// The row's bytes where the page lies, valid while this value is.
    func bytes(ofRow key: UInt64) -> UnsafeRawBufferPointer? {
        ranges[key].map { UnsafeRawBufferPointer(rebasing: file.bytes[$0]) }
    }
}
