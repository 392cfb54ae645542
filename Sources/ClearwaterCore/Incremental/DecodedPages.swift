import Foundation
import NIOCore

/// The Markdown pages a build decoded, kept beside the output with each file's stamp, so that
/// the next build reads and decodes only the pages whose files changed.
///
/// At province scale every rebuild read two thousand pages, parsed their front matter and
/// rendered their Markdown, about a tenth of a second on the loading's longest path, though
/// pages seldom change. Like the name order, it is a cache, never a source: a page is reused
/// only while its file has the size, modification time and inode it had (`FileStamp`), and a
/// store kept for another program, build day or page settings, or damaged, is not read.
struct DecodedPages: Sendable {
    /// What decoding one file gave.
    struct File: Sendable {
        /// Taken before the file was read: an edit while it was read makes the next build read it again.
        let stamp: FileStamp
        /// `nil` for a page that publishes nothing yet (a draft, a page dated after the build day).
        let version: PageVersion?
        /// What decoding reported, all of it in the file; the path is set again when reused,
        /// since it names the content folder as the user typed it.
        let diagnostics: [Diagnostic]
    }

    /// By path below `pages/`.
    var files: [String: File] = [:]
    /// When the store read was written, by the clock that stamps files; `nil` for pages not read
    /// from a store. A file stamped at that moment or later is read again, as git treats an
    /// index entry no older than the index: on a file system whose clock ticks in seconds, an
    /// edit in the tick the store was written keeps the file's stamp.
    var written: Int?

    /// The kept decoding of the file at `path`, if the file still has `stamp` and that stamp
    /// is older than the store.
    func file(_ path: String, stamped stamp: FileStamp) -> File? {
        guard let kept = files[path], kept.stamp == stamp, let written, stamp.modifiedNanoseconds < written else { return nil }
        return kept
    }

    /// The file beside the output that keeps them, and what they were decoded against.
    struct Store: Sendable {
        static let format = "clearwater-decoded-pages 1"

        let location: URL

        static func location(of output: URL) -> URL {
            output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).clearwater.pages")
        }

        /// `nil` when there is none, it was kept under another `context`, or it is damaged.
        func read(context: String) -> DecodedPages? {
            // Stamped before reading: were the file replaced in between, the older time only
            // makes more pages read again.
            // Mapped and read where it lies (`MappedFile`): read into a buffer and copied into
            // another, a province's 6 MB were twice memory the process touched for the first time.
            guard let stamp = FileStamp(path: location.path), let mapped = MappedFile(readingAt: location.path) else { return nil }
            return withExtendedLifetime(mapped) { () -> DecodedPages? in
                guard var body = StoredFieldReader(checkedWhole: mapped.bytes) else { return nil }
                guard body.readText() == Self.format, body.readText() == context, let count = body.readInteger(as: UInt32.self) else { return nil }
                var pages = DecodedPages(written: stamp.modifiedNanoseconds)
                for _ in 0..<count {
                    guard let path = body.readText() ?? nil, let file = body.readFile() else { return nil }
                    pages.files[path] = file
                }
                return body.left == 0 ? pages : nil
            }
        }

        /// Written as a store (`writeStore`). Only a speed-up: if it cannot be
        /// written, the next build decodes every page.
        func write(_ pages: DecodedPages, context: String) {
            var buffer = ByteBuffer()
            buffer.writeText(Self.format)
            buffer.writeText(context)
            buffer.writeInteger(UInt32(pages.files.count))
            for (path, file) in pages.files.sorted(by: { $0.key < $1.key }) {
                buffer.writeText(path)
                buffer.writeFile(file)
            }
            buffer.writeBytes(buffer.checksum)
            try? writeStore(at: location) { try buffer.flush(to: $0) }
        }
    }
}

private extension ByteBuffer {
    mutating func writeFile(_ file: DecodedPages.File) {
        for number in [file.stamp.size, file.stamp.modifiedNanoseconds] { writeInteger(Int64(number)) }
        writeInteger(file.stamp.inode)
        if let version = file.version {
            writeInteger(UInt8(1))
            writeText(version.language)
            writeText(version.title)
            writeText(version.summary)
            writeInteger(Int64(version.weight))
            writeText(version.date?.description)
            writeText(version.html)
        } else {
            writeInteger(UInt8(0))
        }
        writeInteger(UInt32(file.diagnostics.count))
        for diagnostic in file.diagnostics {
            writeInteger(Int64(diagnostic.line))
            writeInteger(Int64(diagnostic.column))
            writeText(diagnostic.severity.rawValue)
            writeText(diagnostic.message)
        }
    }
}

private extension StoredFieldReader {
    /// Its version's and diagnostics' path is empty, for the reader to set.
    mutating func readFile() -> DecodedPages.File? {
        guard let size = readInteger(as: Int64.self), let modified = readInteger(as: Int64.self), let inode = readInteger(as: UInt64.self),
              let hasVersion = readInteger(as: UInt8.self), hasVersion <= 1 else { return nil }
        var version: PageVersion?
        if hasVersion == 1 {
            guard let language = readText() ?? nil, let title = readText() ?? nil, let summary = readText(), let weight = readInteger(as: Int64.self),
                  let date = readText(), let html = readText() ?? nil else { return nil }
            let day = date.map(Day.init)
            guard day != .some(nil) else { return nil }
            version = PageVersion(language: language, title: title, summary: summary, weight: Int(weight), date: day ?? nil, html: html, sourcePath: "")
        }
        guard let count = readInteger(as: UInt32.self) else { return nil }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<count {
            guard let line = readInteger(as: Int64.self), let column = readInteger(as: Int64.self),
                  let severity = (readText() ?? nil).flatMap(Diagnostic.Severity.init(rawValue:)), let message = readText() ?? nil else { return nil }
            diagnostics.append(Diagnostic(path: "", line: Int(line), column: Int(column), severity: severity, message: message))
        }
        return DecodedPages.File(stamp: FileStamp(size: Int(size), modifiedNanoseconds: Int(modified), inode: inode), version: version, diagnostics: diagnostics)
    }
}
