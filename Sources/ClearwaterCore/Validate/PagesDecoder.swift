import CommonMark
import Foundation

/// Reads `pages/**/NAME.LANG.md` into `Page`s: front matter checked, Markdown rendered once.
struct PagesDecoder {
    static let frontMatterKeys = ["title", "summary", "weight", "date", "draft", "encoding", "embargo", "publish_date"]
    /// First path segments that generated pages own.
    static let reservedSections = ["enterprises", "pollutants", "blacklist", "targets", "data", "assets", "updates", "districts", "search"]

    /// Front-matter keys named `private…` are the editor's own notes, never published.
    static func isPrivate(_ key: String) -> Bool { key.hasPrefix("private") }

    /// Section of the pollutant pages' own texts: `pollutants/index` introduces the list,
    /// `pollutants/CODE` explains one metal on its page.
    static let pollutantSection = "pollutants"

    let languages: [String]
    let allowRawHTML: Bool
    let pollutantCodes: [String]
    let encodings: FileEncodings
    /// Pages whose `date`, `embargo` or `publish_date` is after the build day are not published
    /// yet, like Hugo without `--buildFuture`.
    let today: Day

    /// What decoding a page depends on besides its file: pages kept under another are decoded
    /// again. `nil` where the program's executable cannot be found.
    var context: String? {
        guard let program = FileStamp.executable else { return nil }
        var hash = StableHash()
        hash.add(program.description)
        hash.add(allowRawHTML)
        hash.add(today)
        for (path, encoding) in encodings.byPath.sorted(by: { $0.key < $1.key }) where path.hasPrefix("pages/") {
            hash.add(path)
            hash.add(encoding.rawValue)
        }
        return hash.hex
    }

    /// Every page under `content/pages/`, and what decoding each file gave, for a next build to
    /// reuse. A file that still has the stamp it had in `previous` is not read again.
    /// `reusedAll`: every file was found in `previous`, and nothing else was there.
    func decode(content: URL, displayPath contentDisplayPath: String, reusing previous: DecodedPages? = nil,
                diagnostics: inout Diagnostics) -> (pages: [Page], decoded: DecodedPages, reusedAll: Bool) {
        let directory = content.appendingPathComponent("pages")
        let displayPath = contentDisplayPath + "/pages"
        var versions: [String: [String: PageVersion]] = [:]
        var decoded = DecodedPages()
        var reused = 0
        for relative in markdownFiles(in: directory, content: content, displayPath: displayPath, diagnostics: &diagnostics) {
            let path = displayPath + "/" + relative
            guard let (key, language) = parseName(relative, path: path, diagnostics: &diagnostics) else { continue }
            // Said to be a file: otherwise `URL` asks the file system, a `stat` per page.
            let url = directory.appendingPathComponent(relative, isDirectory: false)
            let stamp = FileStamp(path: url.path)
            let (version, found): (PageVersion?, [Diagnostic])
            if let stamp, let kept = previous?.file(relative, stamped: stamp) {
                (version, found) = (kept.version, kept.diagnostics)
                reused += 1
            } else {
                var fresh = Diagnostics()
                version = decodeFile(at: url, relative: relative, language: language, path: path, content: content, diagnostics: &fresh)
                found = fresh.all
            }
            if let stamp { decoded.files[relative] = DecodedPages.File(stamp: stamp, version: version, diagnostics: found) }
            for var diagnostic in found {
                diagnostic.path = path
                diagnostics.append(diagnostic)
            }
            if let version {
                versions[key, default: [:]][language] = PageVersion(language: version.language, title: version.title, summary: version.summary,
                                                                    weight: version.weight, date: version.date, html: version.html, sourcePath: path)
            }
        }
        let pages = versions.keys.sorted().map { key in
            let page = Page(key: key, versions: versions[key] ?? [:])
            for language in languages where page.versions[language] == nil {
                let source = page.versions.values.map(\.sourcePath).sorted().first ?? displayPath
                diagnostics.warning("page '\(key.isEmpty ? "index" : key)' has no '\(language)' version; the \(languages.first { page.versions[$0] != nil } ?? "") text is published there with an 'untranslated' notice", at: SourceLocation(path: source))
            }
            return page
        }
        return (pages, decoded, previous.map { reused == decoded.files.count && $0.files.count == reused } ?? false)
    }

    /// One page file read and decoded; `nil` when it publishes nothing or has errors.
    private func decodeFile(at url: URL, relative: String, language: String, path: String, content: URL, diagnostics: inout Diagnostics) -> PageVersion? {
        guard let bytes = TextFile.bytes(at: url, path: path, inside: content, diagnostics: &diagnostics),
              let utf8 = TextFile.utf8(bytes, path: path, encoding: encodings.encoding(for: "pages/" + relative) ?? TextFile.selfDeclaredEncoding(in: bytes), diagnostics: &diagnostics) else { return nil }
        return decodeVersion(Self.normalizingLineEnds(String(decoding: utf8, as: UTF8.self)), language: language, path: path, diagnostics: &diagnostics)
    }

    /// Relative paths of every `.md` file below `directory`, sorted so builds are reproducible.
    /// Linked folders are not entered; one that leads outside the content folder is an error,
    /// so nobody wonders where its pages went.
    func markdownFiles(in directory: URL, content: URL, displayPath: String, diagnostics: inout Diagnostics) -> [String] {
        // Folder by folder (`FolderEntries`), a symbolic link listed but not followed.
        var files: [String] = [], pending = [""]
        while let folder = pending.popLast() {
            let (inside, subfolders) = FolderEntries.of(folder, in: directory.path)
            pending += subfolders
            for relative in inside {
                if relative.hasSuffix(".md") {
                    files.append(relative)
                } else if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent(relative).path) {
                    let resolved = ResolvedPath.of(directory.appendingPathComponent(relative).path) ?? target
                    if let root = ResolvedPath.of(content.path), !ResolvedPath.isInside(resolved, root) {
                        diagnostics.error("the folder is a symbolic link to \(target), outside \(content.lastPathComponent)/; its pages are not read", at: SourceLocation(path: displayPath + "/" + relative))
                    }
                }
            }
        }
        return files.sorted()
    }

    /// `plan/targets.en.md` → (`plan/targets`, `en`); `plan/index.en.md` → (`plan`, `en`).
    private func parseName(_ relative: String, path: String, diagnostics: inout Diagnostics) -> (String, String)? {
        var segments = relative.split(separator: "/").map(String.init)
        let fileName = segments.removeLast()
        let parts = fileName.dropLast(3).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            diagnostics.error("a page file is named NAME.LANG.md, e.g. targets.\(languages.first ?? "en").md", at: SourceLocation(path: path))
            return nil
        }
        let (name, language) = (parts[0], parts[1])
        guard languages.contains(language) else {
            diagnostics.error("'\(language)' is not one of the site's languages (\(languages.joined(separator: ", ")))\(Suggestion.didYouMean(language, among: languages))", at: SourceLocation(path: path))
            return nil
        }
        if name != "index" { segments.append(name) }
        if segments.first == Self.pollutantSection {
            guard segments.count == 1 || (segments.count == 2 && pollutantCodes.contains(segments[1])) else {
                let found = segments.dropFirst().joined(separator: "/")
                diagnostics.error("pages/pollutants/ holds one page per pollutant, named CODE.LANG.md (e.g. \(pollutantCodes.first ?? "Pb").\(language).md); '\(found)' is not a key of 'pollutants' in vocabulary.yml\(Suggestion.didYouMean(found, among: pollutantCodes))", at: SourceLocation(path: path))
                return nil
            }
            return (segments.joined(separator: "/"), language)
        }
        for segment in segments where !Self.isValidSegment(segment) {
            diagnostics.error("'\(segment)' cannot be part of a page URL; use lower-case letters, digits, '-' and '_'", at: SourceLocation(path: path))
            return nil
        }
        if let first = segments.first, Self.reservedSections.contains(first) {
            diagnostics.error("the URL /\(language)/\(first)/ belongs to a generated page; rename or move this page", at: SourceLocation(path: path))
            return nil
        }
        return (segments.joined(separator: "/"), language)
    }

    /// Old Mac editors end lines with a lone CR; front matter and view tags are found by line.
    private static func normalizingLineEnds(_ text: String) -> String {
        text.utf8.contains(0x0D) ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text
    }

    private static func isValidSegment(_ segment: String) -> Bool {
        guard let first = segment.utf8.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "_") else { return false }
        return segment.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
        }
    }

    private func decodeVersion(_ text: String, language: String, path: String, diagnostics: inout Diagnostics) -> PageVersion? {
        let split = FrontMatter(splitting: text)
        guard let yaml = split.yaml else {
            diagnostics.error("the page needs front matter with a title: a first line '---', then 'title: …', then '---'", at: SourceLocation(path: path, line: 1, column: 1))
            return nil
        }
        let document = YAMLDocument(text: yaml, path: path, lineOffset: split.yamlLineOffset, diagnostics: &diagnostics)
        guard document.root != nil else { return nil }
        guard let front = document.rootMapping(diagnostics: &diagnostics) else { return nil }
        front.warnAboutUnknownKeys(known: Self.frontMatterKeys, ignoring: Self.isPrivate, diagnostics: &diagnostics)

        let title = front.string("title", diagnostics: &diagnostics)
        if (title ?? "").trimmingSpaces.isEmpty {
            diagnostics.error("'title' is required in the front matter", at: front.value("title").map { document.location(of: $0) } ?? SourceLocation(path: path, line: 1, column: 1))
        }
        var weight = 0
        if let node = front.value("weight") {
            if let value = node.int { weight = value } else { diagnostics.error("'weight' must be a whole number", at: document.location(of: node)) }
        }
        var dates: [String: Day] = [:]
        for key in ["date", "embargo", "publish_date"] {
            guard let text = front.string(key, diagnostics: &diagnostics) else { continue }
            dates[key] = Day(text)
            if dates[key] == nil { diagnostics.error("'\(key)' must be a real date written YYYY-MM-DD", at: front.location(of: key)) }
        }
        let date = dates["date"]
        if let node = front.value("encoding") { _ = SettingsDecoder.encoding(node, in: document, diagnostics: &diagnostics) }
        var draft = false
        if let node = front.value("draft") {
            if let value = node.bool { draft = value } else { diagnostics.error("'draft' must be true or false", at: document.location(of: node)) }
        }
        for tag in DatasetViews.unknownTags(in: text) {
            diagnostics.error("'\(tag.text)' is not a data view; write one of \(DatasetViews.names.map { "{{< view \($0) >}}" }.joined(separator: ", ")) on a line of its own", at: SourceLocation(path: path, line: tag.line, column: tag.column))
        }
        // `private: true` is read as a draft, so a page marked private is never published.
        let isPrivate = front.value("private")?.bool == true
        guard let title, !title.trimmingSpaces.isEmpty, !draft, !isPrivate, dates.values.allSatisfy({ $0 <= today }) else { return nil }
        return PageVersion(
            language: language, title: title, summary: front.string("summary", diagnostics: &diagnostics),
            weight: weight, date: date, html: CommonMark.html(from: split.body, allowRawHTML: allowRawHTML), sourcePath: path)
    }
}
