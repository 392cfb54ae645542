import ClearwaterCore

/// What `serve` adds to each HTML page it sends, and only `serve`: files on disk stay exactly
/// what `build` writes. The script listens for server-sent events and reloads the page when a
/// build finishes; the error list is plain HTML, so it shows even before the script runs.
enum LiveReload {
    static let prefix = "/__clearwater/"
    static let eventsPath = prefix + "events"
    static let scriptPath = prefix + "live.js"
    static let stylePath = prefix + "live.css"

    /// The page, with the script (and the errors, if the last build failed) before `</body>`.
    static func inject(into html: String, generation: Int, errors: [String]) -> String {
        var addition = "<script src=\"\(scriptPath)\" data-generation=\"\(generation)\" defer></script>\n"
        if !errors.isEmpty {
            addition += "<link rel=\"stylesheet\" href=\"\(stylePath)\">\n"
            addition += "<div id=\"clearwater-errors\" role=\"alert\"><p>The last edit has errors; this is the last good build.</p><pre>"
            addition += errors.map(HTMLEscaping.escaped).joined(separator: "\n")
            addition += "</pre></div>\n"
        }
        guard let end = html.range(of: "</body>", options: .backwards) else { return html + addition }
        return html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: addition)
    }

    /// Reloads when the server reports a generation other than the one the page was served at,
    /// which also covers a build that finished between the page load and the connection.
    static let script = """
    (function () {
      var script = document.currentScript;
      var served = script && script.getAttribute("data-generation");
      var events = new EventSource("\(eventsPath)");
      events.addEventListener("build", function (event) {
        if (event.data !== served) { location.reload(); }
      });
    })();

    """

    static let style = """
    #clearwater-errors { position: fixed; inset: auto 0 0 0; max-height: 60vh; overflow: auto; z-index: 2147483647;
      margin: 0; padding: 1rem 1.5rem; background: #5c0011; color: #fff; font: 14px/1.5 monospace; }
    #clearwater-errors p { margin: 0 0 .5rem; font-weight: bold; }
    #clearwater-errors pre { margin: 0; white-space: pre-wrap; }

    """

    /// One server-sent event per finished build.
    static func event(generation: Int) -> String {
        "event: build\ndata: \(generation)\n\n"
    }
}
