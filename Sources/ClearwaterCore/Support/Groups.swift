/// Items dealt into numbered groups in one pass (a counting sort), each group keeping its
/// items in their order. At province scale an array per group, grown item by item, was most
/// of the work whenever a file's rows were in no particular order.
struct Groups {
    /// The items' places, group after group.
    let items: [Int]
    /// Where each group's items are in `items`, by group number.
    let ranges: [Range<Int>]

    /// - Parameters:
    ///   - group: each item's group, from 0 to `count - 1`.
    ///   - order: the groups in the order their items are laid out; by default by number.
    init(_ group: [Int], count: Int, order: [Int]? = nil) {
        var sizes = [Int](repeating: 0, count: count)
        for number in group { sizes[number] += 1 }
        var starts = [Int](repeating: 0, count: count), total = 0
        for number in order ?? Array(0..<count) { (starts[number], total) = (total, total + sizes[number]) }
        var items = [Int](repeating: 0, count: group.count), next = starts
        for (item, number) in group.enumerated() {
            items[next[number]] = item
            next[number] += 1
        }
        self.items = items
        ranges = zip(starts, next).map { $0..<$1 }
    }

    /// The items of group `number`.
    subscript(number: Int) -> ArraySlice<Int> { items[ranges[number]] }
}

/// Numbers for keys in the order they are first seen, each key kept once and found again by its
/// hash.
///
/// A dictionary keyed by the keys themselves held a key per bucket: for the duplicate check of
/// a province's disclosures, three strings and a year, 34 MB for each half of the rows, the
/// largest thing alive while they were read. Here a bucket is two integers, and the kept key
/// tells a key from another with the same hash.
struct GroupNumbers<Key: Hashable & Sendable>: Sendable {
    /// Each number's key.
    private(set) var keys: [Key] = []
    /// Each number's key's hash value: another group finds the keys by it without hashing them
    /// again, as the duplicate check of a province's disclosures does for half a million.
    private(set) var hashValues: [Int] = []
    /// The number of the first key with each hash.
    private var numberOfHash: [Int: Int] = [:]
    /// The numbers of keys whose hash an earlier, different key has.
    private var collided: [Key: Int] = [:]

    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        hashValues.reserveCapacity(count)
        numberOfHash.reserveCapacity(count)
    }

    /// The number `key` has, `nil` if none yet; `hashValue` is the key's, known already (`hashValues`).
    func existingNumber(of key: Key, hashValue: Int) -> Int? {
        guard let number = numberOfHash[hashValue] else { return nil }
        return keys[number] == key ? number : collided[key]
    }

    /// The number of `key`, and whether it was new and numbered now.
    mutating func insert(_ key: Key) -> (inserted: Bool, number: Int) {
        let hash = key.hashValue
        // One lookup for a new hash, by far the usual case; a hash seen before is put back.
        guard let number = numberOfHash.updateValue(keys.count, forKey: hash) else {
            keys.append(key)
            hashValues.append(hash)
            return (true, keys.count - 1)
        }
        numberOfHash[hash] = number
        if keys[number] == key { return (false, number) }
        if let number = collided[key] { return (false, number) }
        collided[key] = keys.count
        keys.append(key)
        hashValues.append(hash)
        return (true, keys.count - 1)
    }

    /// The number of `key`, a new one if it has none yet.
    mutating func number(of key: Key) -> Int {
        insert(key).number
    }
}
