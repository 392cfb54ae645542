import CLinux
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
        /// Render every page even where the previous build's page could be kept.
        public var clean: Bool

        public init(content: URL, contentDisplayPath: String, themes: URL, themesDisplayPath: String, themeName: String? = nil,
                    output: URL, baseURL: BaseURL? = nil, today: Day, clean: Bool = false) {
            self.content = content
            self.contentDisplayPath = contentDisplayPath
            self.themes = themes
            self.themesDisplayPath = themesDisplayPath
            self.themeName = themeName
            self.output = output
            self.baseURL = baseURL
            self.today = today
            self.clean = clean
        }
    }

    /// What a successful build did, for the closing log line.
    public struct Report: Sendable {
        public let pages: Int
        public let files: Int
        public let bytes: Int
        /// Pages rendered by this build; the others were kept from the previous one.
        public let rendered: Int
        /// Files whose bytes changed (or were removed), so were written.
        public let written: Int
        /// Where the site lives below its host, `/disclosure/`, to serve it at the same place.
        public let basePath: String
        public let warnings: [Diagnostic]
    }

    public let options: Options
    /// Receives one line per stage, `[2/3] Render …`.
    public let log: @Sendable (String) -> Void

    public init(options: Options, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    /// Where the site lives below its host, read from `site.yml` alone: known even when the
    /// data has errors, so `serve` can mount the last good site at the right place.
    public func basePath() -> String? {
        ContentLoader(directory: options.content, displayPath: options.contentDisplayPath, today: options.today, baseURLOverride: options.baseURL)
            .loadSettings()?.baseURL.path
    }

    /// Everything `build` would read, checked; nothing rendered or written.
    public func check() -> [Diagnostic] {
        let (loaded, _, diagnostics) = loadAndValidate(reusingPreviousWork: false, modelling: false)
        // Freed on another thread, as a build's leftovers are: at province scale freeing the
        // decoded rows was the last tenth of `check`, after its verdict was known.
        let leftovers = Leftovers(loaded)
        Task.detached(priority: .background) { leftovers.free() }
        return diagnostics.sorted
    }

    /// Builds the site into the output folder, or throws `ContentErrors` and leaves it untouched.
    ///
    /// With a previous build's manifest, pages whose inputs did not change are kept without
    /// rendering, and only files whose bytes changed are written; the result is byte for byte
    /// what a full build makes.
    public func build() async throws -> Report {
        let (report, leftovers) = try await buildKeepingModel()
        // Freed on another thread: at province scale freeing the model, the snapshot and the
        // manifests took the last tenth of a second of a rebuild, after the site was in place;
        // a command-line build exits meanwhile. The box holds the only references by now.
        Task.detached(priority: .background) { leftovers.free() }
        return report
    }

    /// The build, and what it made along the way, held for the caller to free.
    private func buildKeepingModel() async throws -> (Report, Leftovers) {
        log("[1/3] Load and validate \(options.contentDisplayPath)")
        try refuseDangerousOutput()
        // Taken before anything is read: what the previous build left beside the output is then
        // what this build continues from, and the rows it keeps there can be written while the
        // site renders.
        let lock = try OutputLock(output: options.output)
        defer { withExtendedLifetime(lock) {} }
        let writer = OutputWriter(output: options.output)
        writer.recoverInterruptedUpdate()
        writer.removeUnfinishedStores()
        // Independent of the content, and at province scale each takes a twentieth of a second
        // to read: read while the content loads.
        let previousManifest = Task { [options] in
            options.clean ? nil : BuildManifest.read(for: options.output).map { SiteRenderer.Previous(manifest: $0, output: options.output.standardizedFileURL.path) }
        }
        // The previous output's files, stamped beside the loading and many at a time: each
        // `stat` waits on the disk when the output's folders are out of the kernel's caches.
        let previousStamps = Task { [previousManifest] () -> Set<String>? in
            guard let previous = await previousManifest.value else { return nil }
            return await Parallel.onThread { previous.manifest.filesAltered(below: previous.output) }.value
        }
        // Without its amounts where the previous build recorded each enterprise's part of it:
        // the few parts whose records changed are read from there (`PublishedAmounts`).
        let previousSnapshot = Task { [output = options.output] in
            try Snapshot.read(from: output, amountsAt: EnterpriseChunks.span(Snapshot.path, in: await previousManifest.value))
        }
        let spareManifest = Task { [output = options.output] in BuildManifest.read(at: BuildManifest.spareLocation(of: output), filesOnly: true) }
        let (result, theme, diagnostics) = loadAndValidate(reusingPreviousWork: !options.clean)
        var loaded = consume result
        guard var site = loaded.site, let theme, !diagnostics.hasErrors else {
            throw ContentErrors(diagnostics: diagnostics.sorted)
        }
        // Written while the site renders, and handed to the thread writing them, which holds
        // them alone, so freed once written (kept to the end of the build, they were a fifth of
        // its peak memory), and their text as soon as the store has its digests. Not while the
        // model is made: both cores are busy then. Only a speed-up: if they cannot be written,
        // the next build decodes every row.
        let keepingDecodedRows = loaded.disclosuresStore.map { [rows = Handover(loaded.disclosuresText), ordering = loaded.ordering, digests = loaded.rowDigests] store in
            Parallel.onThread { if let taken = rows.take() { try? store.write(consume taken, ordering: ordering, digests: digests) } }
        }
        // Ten thousand `lstat`s of the spare's folders at province scale, and as many of the
        // output's: checked beside the record digests and the change log, which leave a core idle.
        let listings = Parallel.onThread { [writer, spareManifest = await spareManifest.value, previous = await previousManifest.value] in
            (spare: writer.spareListing(manifest: spareManifest), output: previous.flatMap { writer.outputListing(manifest: $0.manifest) })
        }
        // The disclosures' text and rows, sixty megabytes at province scale, are not needed again.
        loaded.disclosuresText = nil
        // What loading held for a moment (file bytes, records, the keys of duplicate checks) is
        // gone; hand its memory back before rendering, which runs on other threads and so in
        // other malloc arenas that would not reuse it.
        clearwater_release_free_memory()
        let recordDigests = RouteInputs.RecordDigests(site: site, parts: loaded.enterpriseParts ?? EnterpriseParts(site: site), disclosures: loaded.rowDigests.digests)
        let altered = await previousStamps.value
        let previous = await previousManifest.value.map { SiteRenderer.Previous(manifest: $0.manifest, output: $0.output, altered: altered) }
        let chunkKeys = RouteInputs.chunkKeys(configuration: loaded.configurationDigest, records: recordDigests)
        let amounts = PublishedAmounts(site: site, key: chunkKeys)
        var snapshot = Snapshot(site: site, changes: [])
        // Consumed: read with its amounts, the previous snapshot is as large as the current one.
        site.changeLog = try await changeLog(from: (consume previousSnapshot).value, to: snapshot, amounts: amounts, over: previous)
        snapshot.changes = site.changeLog
        let inputs = RouteInputs(site: site, theme: theme, configuration: loaded.configurationDigest, data: loaded.dataDigest, datasets: loaded.datasetDigests,
                                 records: recordDigests, chunkKey: chunkKeys)

        log("[2/3] Render and write \(site.settings.languages.count) languages\(previous == nil ? "" : ", only what changed")")
        let changed = ChangedFiles()
        // A build into a new folder leaves no spare tree; it keeps its large files there instead.
        let keepsSpareCopies = !FileManager.default.fileExists(atPath: options.output.path)
        let (spareListing, outputListing) = await listings.value
        let staging = try writer.beginStaging(spareListing: spareListing)
        let rendering: SiteRenderer.Rendering
        do {
            rendering = try await SiteRenderer(site: site, theme: theme, snapshot: snapshot, amounts: amounts, inputs: inputs,
                                               searchRows: SearchRows.Store(location: SearchRows.Store.location(of: options.output))).render(reusing: previous) { file in
                let held = { previous.map { $0.isIntact(file.path) && writer.holds(file) } ?? false }
                switch file.piece {
                case .whole:
                    // Over a previous build, a file whose bytes are already in place is not staged at all.
                    if held() { return }
                    changed.insert(file.path, stamp: try writer.stage(file), isLarge: file.isLarge)
                case let .part(_, isLast):
                    // A large file is staged part by part all the same; when every part matched,
                    // it stays out of the changed files and the output's file is linked instead.
                    // Once a part differs, the later ones are not compared: a changed row near
                    // the top of a province's disclosures spared reading 160 megabytes back. Nor
                    // are parts copied from the previous file where they were: a changed row
                    // near the end read as much back.
                    let stamp = try writer.stage(file)
                    changed.record(part: file.path, stamp: stamp, differing: changed.hasDifferingPart(file.path) || !(file.copiesPrevious || held()),
                                   isLast: isLast)
                }
                if keepsSpareCopies, file.isLarge, file.placement.isLast { writer.keepCopyInSpare(file.path) }
            }
        } catch {
            writer.discardStaging()
            throw error
        }

        log("[3/3] Publish into \(options.output.path)")
        let (manifest, written) = try finish(rendering, changed: changed.stamps, over: previous, listed: outputListing,
                                             in: staging.replacing(changed.parts), largeFiles: changed.large, writer: writer)
        await keepingDecodedRows?.value
        let rendered = rendering.rendered.keys.count { $0.hasSuffix(".html") }
        let report = Report(pages: rendered + rendering.reused.keys.count { $0.hasSuffix(".html") }, files: manifest.entries.count,
                            bytes: manifest.entries.values.reduce(0) { $0 + $1.stamp.size }, rendered: rendered, written: written,
                            basePath: site.settings.baseURL.path, warnings: diagnostics.warnings)
        return (report, Leftovers((site, loaded, snapshot, amounts, inputs, previous, rendering, manifest, staging)))
    }

    /// Puts the staged build in place and records the new manifest; returns it and how many
    /// files were written or removed.
    ///
    /// A rebuild that changed a tenth of the files or fewer, over an output that holds exactly
    /// what its manifest lists, moves them into the output where they are (`InPlaceUpdate`).
    /// Any other build is swapped in whole, completed with links to the unchanged files over a
    /// previous build and rid of what a reused spare held beyond the new site: one exchange
    /// beats moving files one by one once they are many, and it leaves no file the site lacks.
    ///
    /// The swapped-in manifest is written before the swap and only renamed after it, so a disk
    /// that fills up fails the build while the previous output is still in place; the one it
    /// replaces is kept as the manifest of the tree the swap took out, the next spare.
    ///
    /// - Parameter listed: what the output holds, when the previous manifest still says so.
    /// - Parameter changed: each file staged that the output lacks or holds otherwise, with its stamp as staged.
    private func finish(_ rendering: SiteRenderer.Rendering, changed: [String: FileStamp], over previous: SiteRenderer.Previous?,
                        listed: TreeListing?, in staging: OutputWriter.Staging, largeFiles: Set<String>, writer: OutputWriter) throws -> (BuildManifest, Int) {
        var manifest = BuildManifest()
        manifest.chunks = rendering.chunks
        manifest.hashStates = rendering.hashStates
        manifest.rows = rendering.rows
        var written = rendering.rendered.count
        if let previous {
            let old = previous.manifest
            // The old manifest's entries, copied whole and then changed where this build differs:
            // inserting each of a province's twenty thousand again, and the arrays and set of
            // paths that took, were most of this step, at the end of every rebuild. A reused file
            // was found intact and made from the same inputs: its entry stands as it is.
            manifest.entries = old.entries
            // A file rendered again to the bytes the output holds: found intact, with new inputs.
            for (path, inputs) in rendering.rendered where changed[path] == nil {
                manifest.entries[path] = old.entries[path].map { BuildManifest.Entry(inputs: inputs, stamp: $0.stamp) }
            }
            for (path, stamp) in changed { manifest.entries[path] = BuildManifest.Entry(inputs: rendering.rendered[path] ?? nil, stamp: stamp) }
            // Nothing the old manifest lists is gone when the counts say so: every reused file is
            // one it lists, so only the few rendered need looking up. Looking up each of a
            // province's twenty thousand paths was a fifth of a rebuild's last stretch, on one core.
            let republished = rendering.reused.count + rendering.rendered.keys.count { old.entries[$0] != nil }
            let removed = republished == old.entries.count ? [] : old.entries.keys.filter { !rendering.publishes($0) }
            for path in removed { manifest.entries[path] = nil }
            let changes = changed.keys.map { old.entries[$0] == nil ? InPlaceUpdate.Change.add($0) : .replace($0) } + removed.map(InPlaceUpdate.Change.remove)
            if manifest.entries.count == rendering.count, changes.count <= rendering.count / 10,
               changed.keys.allSatisfy({ old.entries[$0] != nil || writer.canAddInPlace($0) }), listed != nil || writer.outputHoldsExactly(theFilesOf: old) {
                try publishInPlace(changes, recording: manifest, over: old, recycling: largeFiles, writer: writer)
                return (manifest, changes.count)
            }
            let kept = manifest.entries.compactMap { path, entry in changed[path] == nil ? (path, entry.stamp.inode) : nil }
            try writer.complete(keeping: kept, publishing: rendering.paths, in: staging)
            written = changes.count
        } else {
            try writer.complete(keeping: [], publishing: rendering.paths, in: staging)
            for (path, inputs) in rendering.rendered {
                guard let stamp = changed[path] else { throw OutputWriter.Failure(description: "\(path) was rendered but never staged") }
                manifest.entries[path] = BuildManifest.Entry(inputs: inputs, stamp: stamp)
            }
        }
        manifest.root = writer.stagingRootInode()
        let pending: PendingStore
        do {
            pending = try manifest.prepare(for: options.output)
        } catch {
            writer.discardStaging()
            throw error
        }
        try writer.swapInStaging()
        try pending.commit(keepingPrevious: BuildManifest.spareLocation(of: options.output))
        return (manifest, written)
    }

    /// The in-place half of `finish`: the changed files moved in, then the manifest written,
    /// which completes the update; the staging folder, bar the files moved out of it, is the
    /// next spare, and with it the large files it replaced, for the next build to write over.
    ///
    /// A build that changed nothing leaves the previous manifest as it is: it already lists
    /// every file, and no folder of the output changed after it was written. Written again, a
    /// province's 7 MB manifest was 7 % of such a build's CPU, on its last, single-threaded stretch.
    private func publishInPlace(_ changes: [InPlaceUpdate.Change], recording manifest: BuildManifest, over previous: BuildManifest,
                                recycling largeFiles: Set<String>, writer: OutputWriter) throws {
        var manifest = manifest
        let moves: InPlaceUpdate
        do {
            moves = try writer.updateInPlace(changes, recycling: largeFiles)
        } catch {
            writer.discardStaging()
            throw error
        }
        // Written after the moves, so that the folders they stamped are older than the manifest
        // and `TreeListing` still vouches for the output.
        manifest.root = writer.outputRootInode()
        do {
            if !changes.isEmpty || !manifest.lists(sameAs: previous) { try manifest.prepare(for: options.output).commit() }
        } catch {
            moves.undo()
            writer.discardStaging()
            throw error
        }
        moves.finish()
        writer.giveUpStaging()
        // Not listed: only a swap needs to know what the spare holds, and it can read the spare's
        // folders in a build that rewrites many files anyway; checking a listing cost every
        // build 22,000 `lstat`s at province scale.
        unlink(BuildManifest.spareLocation(of: options.output).path)
    }

    /// `reusingPreviousWork`: decode only the disclosures that changed since the last build,
    /// and say where to keep them all for the next; read the name order it kept when the names
    /// are the same. `modelling`: make the site model, which nothing but rendering needs.
    private func loadAndValidate(reusingPreviousWork: Bool, modelling: Bool = true) -> (ContentLoader.Result, Theme?, Diagnostics) {
        let loader = ContentLoader(directory: options.content, displayPath: options.contentDisplayPath, today: options.today, baseURLOverride: options.baseURL,
                                   decodedDisclosures: reusingPreviousWork ? DecodedDisclosures.Store.location(of: options.output) : nil,
                                   nameOrder: reusingPreviousWork ? NameOrderStore(location: NameOrderStore.location(of: options.output)) : nil,
                                   decodedPages: reusingPreviousWork ? DecodedPages.Store(location: DecodedPages.Store.location(of: options.output)) : nil,
                                   decodedDatasets: reusingPreviousWork ? DecodedDatasets.Store.location(of: options.output) : nil)
        // The theme needs only the theme's name and the languages from `site.yml`: loaded beside
        // the content, where it took a hundredth of a second on one core after a province's
        // content had loaded. Loaded again in the rare case that `site.yml` changed in between.
        let early = loader.loadSettings()
        let (earlyTheme, loaded) = Parallel.both({ [self] in early.map(loadTheme) }, { loader.load(modelling: modelling) })
        var diagnostics = loaded.diagnostics
        guard let settings = loaded.settings else { return (loaded, nil, diagnostics) }
        let stillCurrent = early?.theme == settings.theme && early?.languages == settings.languages
        let (theme, themeDiagnostics) = (stillCurrent ? earlyTheme : nil) ?? loadTheme(for: settings)
        diagnostics.append(contentsOf: themeDiagnostics)
        return (loaded, theme, diagnostics)
    }

    private func loadTheme(for settings: SiteSettings) -> (Theme?, Diagnostics) {
        let name = options.themeName ?? settings.theme
        return Theme.load(directory: options.themes.appendingPathComponent(name), displayPath: options.themesDisplayPath + "/" + name, languages: settings.languages)
    }

    /// The log the previous build left, plus what changed since; empty on a first build,
    /// which has nothing to compare with rather than everything to announce.
    private func changeLog(from previous: Snapshot?, to current: Snapshot, amounts: PublishedAmounts, over build: SiteRenderer.Previous?) throws -> [Change] {
        guard var previous else { return [] }
        do {
            try previous.readEnterprises(comparingWith: current)
        } catch {
            throw Snapshot.Unreadable(path: options.output.appendingPathComponent(Snapshot.path).path, reason: "it is not a Clearwater snapshot (\(error))")
        }
        // Read without its amounts: compared part by part.
        let parts = previous.disclosures == nil ? EnterpriseChunks.previousFile(Snapshot.path, in: build) : nil
        return previous.changes + ChangeLog.changes(from: previous, to: current, amounts: try amounts.differences(from: previous, parts: parts), on: options.today)
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

/// The paths a build staged, collected from the rendering tasks.
private final class ChangedFiles: @unchecked Sendable {
    private let lock = NSLock()
    /// Each with its stamp as staged.
    private var staged: [String: FileStamp] = [:]
    /// Large files with a part that differs from the output's, so far.
    private var differingParts = Set<String>()
    /// Every large file staged in parts, even those whose parts all matched.
    private var stagedParts = Set<String>()
    /// Every file staged whole that is large (`OutputFile.isLarge`).
    private var largeWhole = Set<String>()

    func insert(_ path: String, stamp: FileStamp, isLarge: Bool) {
        lock.withLock {
            staged[path] = stamp
            if isLarge { largeWhole.insert(path) }
        }
    }

    /// One part of a large file, with the stamp it left; the file counts as changed once its
    /// last part is in, if any part differed.
    func record(part path: String, stamp: FileStamp, differing: Bool, isLast: Bool) {
        lock.withLock {
            stagedParts.insert(path)
            if differing { differingParts.insert(path) }
            if isLast, differingParts.remove(path) != nil { staged[path] = stamp }
        }
    }

    /// Whether a part of this large file already differed from the output's.
    func hasDifferingPart(_ path: String) -> Bool { lock.withLock { differingParts.contains(path) } }
    var stamps: [String: FileStamp] { lock.withLock { staged } }
    var parts: Set<String> { lock.withLock { stagedParts } }
    var large: Set<String> { lock.withLock { stagedParts.union(largeWhole) } }
}

/// A value one thread hands to another, which takes it out and so holds it alone.
/// Unchecked: only the thread it is handed to takes it, once.
private final class Handover<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: Value?) {
        self.value = value
    }

    func take() -> Value? {
        let taken = value
        value = nil
        return taken
    }
}

/// What a finished build still holds, boxed so that whoever empties the box frees all of it.
/// Unchecked: the builder fills it and hands it over, and only the task it is handed to empties it.
private final class Leftovers: @unchecked Sendable {
    private var values: Any?

    init(_ values: Any) {
        self.values = values
    }

    func free() {
        values = nil
    }
}
