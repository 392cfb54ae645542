/// The keys of a file's rows in order, each found again by its hash: whether a key was seen,
/// and on which row first.
///
/// A dictionary keyed by the keys themselves held three strings and a number per bucket: 34 MB
/// for each half of a province's disclosures, the largest thing alive while they were read.
/// Here a bucket is two integers, and the row's key, kept anyway, tells a repeat from another
/// key with the same hash.
struct KeyRegister<Key: Hashable & Sendable>: Sendable {
    /// Each registered row's key.
    private(set) var inOrder: [Key] = []
    /// The first row of each hash.
    private var firstRowOfHash: [Int: Int] = [:]
    /// The first row of each key whose hash an earlier, different key has.
    private var collided: [Key: Int] = [:]

    mutating func reserveCapacity(_ rows: Int) {
        inOrder.reserveCapacity(rows)
        firstRowOfHash.reserveCapacity(rows)
    }

    /// The registered row with `key`.
    func firstRow(of key: Key) -> Int? {
        guard let row = firstRowOfHash[key.hashValue] else { return nil }
        return inOrder[row] == key ? row : collided[key]
    }

    /// Registers `key` as the next row's and returns `nil`, unless a registered row has it:
    /// then returns that row and registers nothing.
    mutating func register(_ key: Key) -> Int? {
        let hash = key.hashValue
        // One lookup for a new hash, by far the usual case; a hash seen before is put back.
        guard let row = firstRowOfHash.updateValue(inOrder.count, forKey: hash) else {
            inOrder.append(key)
            return nil
        }
        firstRowOfHash[hash] = row
        if inOrder[row] == key { return row }
        if let row = collided[key] { return row }
        collided[key] = inOrder.count
        inOrder.append(key)
        return nil
    }
}
