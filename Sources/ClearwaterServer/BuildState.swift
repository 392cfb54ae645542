import ClearwaterCore

/// What the development server knows about the latest build, shared by the rebuild loop and
/// every request: the errors to show, the base path to serve under, and the open pages to reload.
actor BuildState {
    /// Counts finished builds, failed or not; a page knows the number it was served at.
    private var generation = 0
    private var errors: [String] = []
    private(set) var basePath = "/"
    private var listeners: [Int: AsyncStream<Int>.Continuation] = [:]
    private var nextListener = 0

    /// The generation and its errors together, so a page never pairs one build's number with
    /// another build's errors.
    var latest: (generation: Int, errors: [String]) { (generation, errors) }

    func succeeded(basePath: String) {
        self.basePath = basePath
        finish(errors: [])
    }

    /// - Parameter basePath: from `site.yml` when it could be read, so the last good site is
    ///   served at its place even when the very first build fails.
    func failed(_ errors: [String], basePath: String?) {
        if let basePath { self.basePath = basePath }
        finish(errors: errors)
    }

    /// A stream of generations, starting with the current one, for one live-reload connection.
    func listen() -> AsyncStream<Int> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let id = nextListener
        nextListener += 1
        listeners[id] = continuation
        continuation.yield(generation)
        continuation.onTermination = { _ in Task { await self.stopListening(id) } }
        return stream
    }

    private func stopListening(_ id: Int) {
        listeners[id] = nil
    }

    private func finish(errors: [String]) {
        self.errors = errors
        generation += 1
        for continuation in listeners.values { continuation.yield(generation) }
    }
}
