import Foundation

/// `clearwater deploy`: publishes a built site as `DEST/releases/<id>/` and points `DEST/current`
/// at it with one atomic rename, so a web server serving `current` shows the old release or
/// the new one, never a mix; older releases stay for `--rollback`.
///
/// Steps, each on the target (this machine or the host over SSH):
/// 1. copy the site with rsync into `releases/.<id>.partial/`, hard-linking files whose bytes
///    are unchanged since the current release (`--link-dest --checksum`);
/// 2. copy `SHA256SUMS` beside them and check every file with `sha256sum -c`;
/// 3. rename the folder to `releases/<id>/`, then `current.new` → `current` (`mv -T`, atomic);
/// 4. remove releases beyond the newest `keep`, never the current one.
public struct Deployer: Sendable {
    public let site: URL
    public let target: DeployTarget
    public let keep: Int
    public let log: @Sendable (String) -> Void

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(site: URL, target: DeployTarget, keep: Int, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.site = site.standardizedFileURL
        self.target = target
        self.keep = keep
        self.log = log
    }

    /// What is on the target now.
    struct State {
        let releases: [String]
        let current: String?
    }

    /// Deploys the site; returns the new release's id.
    @discardableResult
    public func deploy(now: Date = Date()) throws -> String {
        try explained { try publish(now: now) }
    }

    /// Points `current` back at the release before it; returns that release's id.
    @discardableResult
    public func rollback() throws -> String {
        try explained(restorePrevious)
    }

    /// Every failure as a `Failure`, whose message names the step and what the tool said.
    private func explained<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    private func publish(now: Date) throws -> String {
        guard FileManager.default.fileExists(atPath: site.appendingPathComponent("index.html").path) else {
            throw Failure(description: "\(site.path) holds no built site; run `clearwater build` first")
        }
        let lock = try OutputLock(output: site)
        defer { withExtendedLifetime(lock) {} }
        // A build killed while moving its files in leaves a mix; the last whole build is what goes out.
        OutputWriter(output: site).recoverInterruptedUpdate()
        let state = try prepare()
        let id = Self.releaseID(at: now, taken: Set(state.releases))
        let partial = "releases/.\(id).partial"
        let sums = try ReleaseChecksums.text(for: site)
        let sumsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: sumsFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: sumsFolder) }
        try Data(sums.utf8).write(to: sumsFolder.appendingPathComponent(ReleaseChecksums.fileName))

        log("Copying \(site.path) to \(target.description)/\(partial)")
        let linkDest = state.current.map { ["--link-dest=../\($0)"] } ?? []
        // --checksum: rsync's default test (size and whole-second mtime) links a stale file when a
        // page was rebuilt in the same second with the same length; SHA256SUMS caught exactly that.
        try ShellCommand(arguments: ["rsync", "-a", "--checksum", "--delete"] + linkDest + target.rsyncTransport + [site.path + "/", target.rsyncPath(partial) + "/"]).run()
        try ShellCommand(arguments: ["rsync", "-a"] + target.rsyncTransport + [sumsFolder.path + "/" + ReleaseChecksums.fileName, target.rsyncPath(partial) + "/"]).run()

        log("Verifying \(sums.split(separator: "\n").count) files against \(ReleaseChecksums.fileName)")
        let q = ShellCommand.quote
        do {
            try target.run("cd \(q(target.path + "/" + partial)) && { \(ReleaseChecksums.checkScript); }")
        } catch {
            _ = try? target.run("rm -rf \(q(target.path + "/" + partial))")
            throw Failure(description: "the copy on \(target.description) does not match the site, so it was not published: \(error)")
        }
        try target.run("cd \(q(target.path)) && mv -T \(q(partial)) \(q("releases/" + id)) && ln -sfn \(q("releases/" + id)) current.new && mv -T current.new current")
        log("Published release \(id); \(target.description)/current points to it")
        try prune(keeping: Set([id]), releases: state.releases + [id])
        return id
    }

    private func restorePrevious() throws -> String {
        let state = try prepare()
        guard let current = state.current, let index = state.releases.firstIndex(of: current) else {
            throw Failure(description: "\(target.description)/current does not point to a release; nothing to roll back")
        }
        guard index > 0 else { throw Failure(description: "\(current) is the oldest release kept on \(target.description); nothing to roll back to") }
        let previous = state.releases[index - 1]
        try target.run("cd \(ShellCommand.quote(target.path)) && ln -sfn \(ShellCommand.quote("releases/" + previous)) current.new && mv -T current.new current")
        log("Rolled back: \(target.description)/current points to \(previous) instead of \(current)")
        return previous
    }

    /// Makes the layout if missing, removes folders of copies that never finished, and reads the releases.
    private func prepare() throws -> State {
        let q = ShellCommand.quote
        let listing = try target.run("""
            mkdir -p \(q(target.path + "/releases")) && cd \(q(target.path)) && rm -rf releases/.*.partial current.new \
            && echo "current=$(readlink current 2>/dev/null)" && ls -1 releases
            """)
        var lines = listing.split(separator: "\n").map(String.init)
        let currentLine = lines.isEmpty ? "current=" : lines.removeFirst()
        let current = currentLine.dropFirst("current=".count).split(separator: "/").last.map(String.init)
        return State(releases: lines.filter { !$0.hasPrefix(".") }.sorted(), current: current)
    }

    private func prune(keeping protected: Set<String>, releases: [String]) throws {
        let old = releases.sorted().dropLast(max(keep, 1)).filter { !protected.contains($0) }
        guard !old.isEmpty else { return }
        let q = ShellCommand.quote
        try target.run("cd \(q(target.path + "/releases")) && rm -rf " + old.map(q).joined(separator: " "))
        log("Removed \(old.count) old release\(old.count == 1 ? "" : "s"), keeping \(keep)")
    }

    /// `20261129T074012Z`, in UTC so ids sort by time; `-02`, `-03`… when one second holds several.
    static func releaseID(at date: Date, taken: Set<String>) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let base = String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        var id = base
        var counter = 1
        while taken.contains(id) || taken.contains(where: { $0 > id && $0.hasPrefix(base) }) {
            counter += 1
            id = base + String(format: "-%02d", counter)
        }
        return id
    }
}
