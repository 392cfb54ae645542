import ArgumentParser
import ClearwaterCore
import ClearwaterServer
import Foundation

@main
struct Clearwater: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Builds a bilingual heavy-metal pollution disclosure site from Markdown pages and CSV data.",
        subcommands: [Build.self, Check.self, Serve.self, Deploy.self]
    )

    /// The contract's exit codes: 0 success, 1 content errors, 2 usage errors.
    /// ArgumentParser reports usage errors as 64 (EX_USAGE); we translate.
    static func main() async {
        HeapGrowth.inLargeSteps()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let errors as ContentErrors {
            for diagnostic in errors.diagnostics { printError(diagnostic.description) }
            let count = errors.diagnostics.filter { $0.severity == .error }.count
            printError("\(count) error\(count == 1 ? "" : "s"); nothing was written")
            Foundation.exit(1)
        } catch let failure as OutputWriter.Failure {
            printError("error: \(failure.description)")
            Foundation.exit(1)
        } catch let failure as Deployer.Failure {
            printError("error: \(failure.description)")
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty { code == .success ? print(message) : printError(message) }
            Foundation.exit(code == .success ? 0 : code.rawValue == 64 || code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Options shared by every command that reads content.
struct ContentOptions: ParsableArguments {
    @Option(help: "The content folder.")
    var content = "Content"

    @Option(help: "The folder holding themes.")
    var themes = "Themes"

    func url(_ path: String) -> URL {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)).standardizedFileURL
    }

    /// Today in the machine's time zone; used only when `data_as_of` is not set.
    var today: Day {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day("1970-01-01")!
    }

    func builderOptions(theme: String? = nil, output: String = "public", baseURL: BaseURL? = nil, clean: Bool = false) -> Builder.Options {
        Builder.Options(content: url(content), contentDisplayPath: trimmed(content), themes: url(themes), themesDisplayPath: trimmed(themes),
                        themeName: theme, output: url(output), baseURL: baseURL, today: today, clean: clean)
    }

    private func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Render the whole site into the output folder, atomically.")

    @OptionGroup var content: ContentOptions

    @Option(help: "The theme folder's name; defaults to `theme` in site.yml.")
    var theme: String?

    @Option(help: "The output folder; replaced whole only when the build succeeds.")
    var output = "public"

    @Option(name: .customLong("base-url"), help: "The absolute URL the site is published at; defaults to `base_url` in site.yml.")
    var baseURL: String?

    @Flag(help: "Render and write every page, instead of only what changed since the last build.")
    var clean = false

    func validate() throws {
        if let baseURL, BaseURL(baseURL) == nil {
            throw ValidationError("--base-url must be an absolute http(s) URL, e.g. https://example.org/disclosure/")
        }
        if let theme, theme.isEmpty || theme.contains("/") {
            throw ValidationError("--theme takes the name of a folder inside the themes folder")
        }
    }

    func run() async throws {
        let start = Date()
        let builder = Builder(options: content.builderOptions(theme: theme, output: output, baseURL: baseURL.flatMap(BaseURL.init), clean: clean), log: { print($0) })
        let report = try await builder.build()
        for warning in report.warnings { printError(warning.description) }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        print("Built \(report.pages) pages, \(report.files) files (\(report.bytes / 1024) KiB) into \(output) in \(seconds) s;"
              + " rendered \(report.rendered) pages, wrote \(report.written) files")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate everything build would read; render nothing.")

    @OptionGroup var content: ContentOptions

    func run() throws {
        let diagnostics = Builder(options: content.builderOptions()).check()
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw ContentErrors(diagnostics: diagnostics) }
        for warning in diagnostics { printError(warning.description) }
        print("No errors\(diagnostics.isEmpty ? "" : ", \(diagnostics.count) warning\(diagnostics.count == 1 ? "" : "s")").")
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site on this machine, and rebuild and reload open pages whenever the content or theme changes."
    )

    @OptionGroup var content: ContentOptions

    @Option(help: "The address to listen on; 127.0.0.1 keeps the site on this machine.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8000

    @Option(help: "The output folder the site is built into and served from.")
    var output = "public"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        // Written straight to the file descriptor so each line shows at once, even through a pipe.
        let log: @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
        try await DevelopmentServer(options: content.builderOptions(output: output), host: host, port: port, log: log).run()
    }
}

struct Deploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish the built site into a web root as DEST/releases/<id>/ and switch DEST/current to it atomically.",
        discussion: """
        DEST is a folder here or user@host:/path, reached with rsync over SSH. The content is checked \
        first; a site with errors is not deployed. Each release carries SHA256SUMS, checked on the \
        target before `current` moves.
        """
    )

    @OptionGroup var content: ContentOptions

    @Option(help: "The built site to publish.")
    var output = "public"

    @Flag(help: "Point DEST/current back at the release before the current one.")
    var rollback = false

    @Option(help: "How many releases to keep on the target, the current one included.")
    var keep = 5

    @Option(help: "The SSH command for a remote DEST, e.g. \"ssh -p 2222 -i deploy_key\".")
    var ssh = "ssh"

    @Argument(help: "The web root: a folder, or user@host:/path.")
    var destination: String

    func validate() throws {
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        guard DeployTarget(destination, ssh: ssh) != nil else {
            throw ValidationError("DEST must be a folder or user@host:/absolute/path")
        }
    }

    func run() throws {
        let target = DeployTarget(destination, ssh: ssh)!
        let deployer = Deployer(site: content.url(output), target: target, keep: keep, log: { print($0) })
        if rollback {
            try deployer.rollback()
            return
        }
        let diagnostics = Builder(options: content.builderOptions(output: output)).check()
        if diagnostics.contains(where: { $0.severity == .error }) { throw ContentErrors(diagnostics: diagnostics) }
        try deployer.deploy()
    }
}
