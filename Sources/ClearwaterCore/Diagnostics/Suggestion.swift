/// "Did you mean …?" for misspelt keys, columns and ids, as swift-argument-parser does for flags.
enum Suggestion {
    /// The closest candidate within a small edit distance, phrased for the end of a message.
    static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        guard let best = closest(to: word, among: candidates) else { return "" }
        return "; did you mean '\(best)'?"
    }

    static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let limit = max(1, min(3, word.count / 3))
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            if distance <= limit, distance < best?.1 ?? .max { best = (candidate, distance) }
        }
        return best?.0
    }

    /// Levenshtein distance; a few dozen candidates at most, so the simple table is enough.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
