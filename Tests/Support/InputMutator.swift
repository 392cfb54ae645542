import Foundation

/// Mutation fuzzing without libFuzzer: seeded, so every failing input can be made again
/// from the seed the test prints, and bounded by a time budget (`CLEARWATER_FUZZ_SECONDS`,
/// default a few seconds in CI; `script/fuzz 600` for a long run).
public struct InputMutator {
    private var random: SeededGenerator
    private let seeds: [[UInt8]]
    public let seed: UInt64

    /// Bytes that mean something to the readers under test: CSV quoting, YAML structure,
    /// front-matter fences, Markdown and HTML, line ends, encodings' lead bytes.
    static let tokens: [[UInt8]] = [
        ",", "\"", "\"\"", "\n", "\r", "\r\n", "---\n", "...\n", ": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "? ",
        "'", "#", "|\n", ">\n", "\t", "<script>", "</", "<!--", "]]>", "`", "```\n", "**", "_", "[x](javascript:alert(1))",
        "{{< view targets-table >}}", "{{", "}}", "\u{FEFF}", "\u{2028}", "１２", "　", "e999", "-1", "99999999999999999999999999999999",
        "2020-02-30", "0000-00-00", "title: ", "draft: true", "encoding: gb18030", "embargo", "\\", "%", "\0",
    ].map { Array($0.utf8) } + [[0xFF], [0xFE], [0xC0, 0x80], [0xE5], [0xF4, 0x90, 0x80, 0x80], [0xED, 0xA0, 0x80], [0x81, 0x30]]

    public init(seeds: [String], seed: UInt64) {
        self.seeds = seeds.map { Array($0.utf8) }
        self.seed = seed
        random = SeededGenerator(seed: seed)
    }

    /// The seed for this run: `CLEARWATER_FUZZ_SEED` to replay one, else a fixed one in CI so
    /// a red build is reproducible, else a fresh one on each long run.
    public static let runSeed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["CLEARWATER_FUZZ_SEED"], let value = UInt64(text) { return value }
        return ProcessInfo.processInfo.environment["CLEARWATER_FUZZ_SECONDS"] == nil ? 20_261_129 : UInt64.random(in: 1...UInt64.max)
    }()

    /// Where the input under test is kept while it runs.
    public static func reproducer(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-fuzz-\(name).input")
    }

    /// How long each fuzz test keeps generating inputs.
    public static var budget: Duration {
        .seconds(Double(ProcessInfo.processInfo.environment["CLEARWATER_FUZZ_SECONDS"] ?? "") ?? 3)
    }

    /// A test's time limit: the budget plus room, so only a hang trips it. Five minutes of
    /// room: the whole suite runs at once on two cores, and on a slow machine a test's builds
    /// waited two minutes for a core.
    public static var timeLimit: Duration { budget * 2 + .seconds(300) }

    /// A seed input with one to four random edits.
    public mutating func next() -> [UInt8] {
        var input = seeds[Int.random(in: 0..<seeds.count, using: &random)]
        for _ in 0..<Int.random(in: 1...4, using: &random) { mutate(&input) }
        return input
    }

    private mutating func mutate(_ input: inout [UInt8]) {
        let position = input.isEmpty ? 0 : Int.random(in: 0...input.count, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where position < input.count:
            input[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
        case 1 where position < input.count:
            input[position] = UInt8.random(in: 0...255, using: &random)
        case 2:
            let length = Int.random(in: 1...64, using: &random)
            input.removeSubrange(position..<min(input.count, position + length))
        case 3 where position < input.count:
            let end = min(input.count, position + Int.random(in: 1...256, using: &random))
            input.insert(contentsOf: input[position..<end], at: position)
        case 4:
            let token = Self.tokens[Int.random(in: 0..<Self.tokens.count, using: &random)]
            let count = Bool.random(using: &random) ? 1 : Int.random(in: 2...2_000, using: &random)
            input.insert(contentsOf: Array([[UInt8]](repeating: token, count: count).joined()), at: position)
        case 5:
            let other = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            let start = Int.random(in: 0...other.count, using: &random)
            input.insert(contentsOf: other[start..<min(other.count, start + Int.random(in: 1...200, using: &random))], at: position)
        case 6:
            input.removeSubrange(position...)
        default:
            input.insert(contentsOf: Self.tokens[Int.random(in: 0..<Self.tokens.count, using: &random)], at: position)
        }
    }
}

/// Runs `body` on mutated inputs until the budget is spent, keeping the input under test in
/// a file first: if it crashes the process, that file is the reproducer.
public func fuzz(_ name: String, seeds: [String], _ body: ([UInt8]) throws -> Void) rethrows -> Int {
    var mutator = InputMutator(seeds: seeds, seed: InputMutator.runSeed)
    let reproducer = InputMutator.reproducer(name)
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: InputMutator.budget)
    var count = 0
    while clock.now < deadline {
        let input = mutator.next()
        try? Data(input).write(to: reproducer)
        try body(input)
        count += 1
    }
    try? FileManager.default.removeItem(at: reproducer)
    return count
}
