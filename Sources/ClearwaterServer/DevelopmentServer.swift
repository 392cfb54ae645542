import ClearwaterCore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `clearwater serve`: builds, serves the output folder over HTTP under the site's base path,
/// rebuilds when `Content/` or the themes change, and reloads every open page.
///
/// Builds are the ordinary incremental builds into the ordinary output folder, so what is
/// served is what `build` makes; a failed build leaves the last good site served, with the
/// errors shown on every page until they are fixed.
public struct DevelopmentServer: Sendable {
    public let options: Builder.Options
    public let host: String
    public let port: Int
    /// Receives the server's address once it listens, then one line per build.
    public let log: @Sendable (String) -> Void

    public init(options: Builder.Options, host: String, port: Int, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.host = host
        self.port = port
        self.log = log
    }

    public func run() async throws {
        let state = BuildState()
        let watcher = try DirectoryWatcher(folders: [options.content, options.themes])
        await rebuild(state)
        let responder = SiteResponder(files: SiteFiles(root: options.output.standardizedFileURL), state: state)
        var logger = Logger(label: "clearwater-serve")
        logger.logLevel = .warning
        let app = Application(
            responder: CallbackResponder { (request: Request, _: BasicRequestContext) in try await responder.respond(to: request) },
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "clearwater"),
            onServerRunning: { [log, host] channel in
                let port = channel.localAddress?.port ?? 0
                log("Serving http://\(host):\(port)\(await state.basePath) (Ctrl-C to stop)")
            },
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in watcher.changes {
                    // Editors save in several steps (temporary file, rename, attributes); let them finish.
                    try? await Task.sleep(for: .milliseconds(50))
                    await rebuild(state)
                }
            }
            group.addTask { try await app.runService() }
            try await group.next()
            group.cancelAll()
        }
    }

    private func rebuild(_ state: BuildState) async {
        let start = ContinuousClock.now
        let builder = Builder(options: options)
        do {
            let report = try await builder.build()
            let seconds = (ContinuousClock.now - start).formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))
            log("Built \(report.pages) pages in \(seconds): rendered \(report.rendered), wrote \(report.written) files")
            await state.succeeded(basePath: report.basePath)
        } catch let errors as ContentErrors {
            let lines = errors.diagnostics.map(\.description)
            for line in lines { log(line) }
            log("\(errors.diagnostics.filter { $0.severity == .error }.count) errors; still serving the last good build")
            await state.failed(lines, basePath: builder.basePath())
        } catch {
            log("error: \(error)")
            await state.failed(["error: \(error)"], basePath: nil)
        }
    }
}

/// Answers one request: the live-reload endpoints, or a file of the site.
struct SiteResponder: Sendable {
    let files: SiteFiles
    let state: BuildState

    func respond(to request: Request) async throws -> Response {
        let path = request.uri.path
        switch path {
        case LiveReload.eventsPath: return await events()
        case LiveReload.scriptPath: return text(LiveReload.script, type: "text/javascript; charset=utf-8", request)
        case LiveReload.stylePath: return text(LiveReload.style, type: "text/css; charset=utf-8", request)
        default: break
        }
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
        }
        let basePath = await state.basePath
        guard path.hasPrefix(basePath) else {
            return path == "/" ? Response(status: .found, headers: [.location: basePath]) : try await notFound(request)
        }
        switch files.lookup(String(path.dropFirst(basePath.count))) {
        case let .file(url): return try await file(url, status: .ok, request)
        case let .redirect(location): return Response(status: .movedPermanently, headers: [.location: location])
        case .notFound: return try await notFound(request)
        }
    }

    /// The site's own 404 page, with the 404 status.
    private func notFound(_ request: Request) async throws -> Response {
        if case let .file(url) = files.lookup("404.html") { return try await file(url, status: .notFound, request) }
        return text("Not found\n", type: "text/plain; charset=utf-8", request, status: .notFound)
    }

    private func file(_ url: URL, status: HTTPResponse.Status, _ request: Request) async throws -> Response {
        guard var data = FileManager.default.contents(atPath: url.path) else { return text("Not found\n", type: "text/plain; charset=utf-8", request, status: .notFound) }
        let type = SiteFiles.contentType(of: url)
        if type.hasPrefix("text/html") {
            let latest = await state.latest
            let html = LiveReload.inject(into: String(decoding: data, as: UTF8.self), generation: latest.generation, errors: latest.errors)
            data = Data(html.utf8)
        }
        return body(data, type: type, request, status: status)
    }

    private func text(_ text: String, type: String, _ request: Request, status: HTTPResponse.Status = .ok) -> Response {
        body(Data(text.utf8), type: type, request, status: status)
    }

    /// HEAD gets the headers GET would, and no body.
    private func body(_ data: Data, type: String, _ request: Request, status: HTTPResponse.Status) -> Response {
        let headers: HTTPFields = [.contentType: type, .contentLength: String(data.count), .cacheControl: "no-store"]
        guard request.method != .head else { return Response(status: status, headers: headers, body: ResponseBody()) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A server-sent event with the build generation now and after every build, until the page
    /// goes away or the server stops (Ctrl-C would otherwise wait for every open page).
    private func events() async -> Response {
        let generations = await state.listen()
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            for await generation in generations.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: LiveReload.event(generation: generation)))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
