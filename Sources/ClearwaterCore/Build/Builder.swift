import Foundation

/// The build as a pipeline you can read top to bottom:
/// load → validate → model (`ContentLoader`), theme, route → render (`SiteRenderer`), write (`OutputWriter`).
public struct Builder: Sendable {
    public struct Options: Sendable {
        public var content: URL
        public var contentDisplayPath: String
        public var themes: URL
        public var themesDisplayPath: String
        public var themeName: String?
        public var output: URL
        public var baseURL: BaseURL?
        public var today: Day

        public init(content: URL, contentDisplayPath: String, themes: URL, themesDisplayPath: String, themeName: String? = nil,
                    output: URL, baseURL: BaseURL? = nil, today: Day) {
            self.content = content
            self.contentDisplayPath = contentDisplayPath
            self.themes = themes
            self.themesDisplayPath = themesDisplayPath
            self.themeName = themeName
            self.output = output
            self.baseURL = baseURL
            self.today = today
        }
    }

    /// What a successful build did, for the closing log line.
    public struct Report: Sendable {
        public let pages: Int
        public let files: Int
        public let bytes: Int
        public let warnings: [Diagnostic]
    }

    public let options: Options
    /// Receives one line per stage, `[2/3] Render …`.
    public let log: @Sendable (String) -> Void

    public init(options: Options, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    /// Everything `build` would read, checked; nothing rendered or written.
    public func check() -> [Diagnostic] {
        let (_, _, diagnostics) = loadAndValidate()
        return diagnostics.sorted
    }

    /// Builds the site into the output folder, or throws `ContentErrors` and leaves it untouched.
    public func build() async throws -> Report {
        log("[1/3] Load and validate \(options.contentDisplayPath)")
        let (site, theme, diagnostics) = loadAndValidate()
        guard var site, let theme, !diagnostics.hasErrors else { throw ContentErrors(diagnostics: diagnostics.sorted) }
        try refuseDangerousOutput()
        let lock = try OutputLock(output: options.output)
        defer { withExtendedLifetime(lock) {} }
        site.changeLog = try changeLog(for: site)

        log("[2/3] Render \(site.settings.languages.count) languages")
        let files = await SiteRenderer(site: site, theme: theme).render()

        log("[3/3] Write \(options.output.path)")
        try OutputWriter(output: options.output).write(files)
        return Report(pages: files.filter { $0.path.hasSuffix(".html") }.count, files: files.count,
                      bytes: files.reduce(0) { $0 + $1.contents.count }, warnings: diagnostics.warnings)
    }

    private func loadAndValidate() -> (Site?, Theme?, Diagnostics) {
        let loader = ContentLoader(directory: options.content, displayPath: options.contentDisplayPath, today: options.today, baseURLOverride: options.baseURL)
        let loaded = loader.load()
        var (site, diagnostics) = (loaded.site, loaded.diagnostics)
        guard let settings = loaded.settings else { return (nil, nil, diagnostics) }
        let name = options.themeName ?? settings.theme
        let (theme, themeDiagnostics) = Theme.load(directory: options.themes.appendingPathComponent(name),
                                                   displayPath: options.themesDisplayPath + "/" + name, languages: settings.languages)
        diagnostics.append(contentsOf: themeDiagnostics)
        if diagnostics.hasErrors { site = nil }
        return (site, theme, diagnostics)
    }

    /// The log the previous build left, plus what changed since; empty on a first build,
    /// which has nothing to compare with rather than everything to announce.
    private func changeLog(for site: Site) throws -> [Change] {
        guard let previous = try Snapshot.read(from: options.output) else { return [] }
        return previous.changes + ChangeLog.changes(from: previous, to: site, on: options.today)
    }

    /// The swap replaces the output folder whole; never let that be the content or the themes.
    private func refuseDangerousOutput() throws {
        let output = options.output.standardizedFileURL.path
        for protected in [options.content, options.themes, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] {
            let path = protected.standardizedFileURL.path
            if path == output || path.hasPrefix(output.hasSuffix("/") ? output : output + "/") {
                throw OutputWriter.Failure(description: "refusing to replace \(output): it holds \(path)")
            }
        }
    }
}
