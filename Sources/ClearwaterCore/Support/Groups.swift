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

/// Numbers for keys in the order they are first seen.
struct GroupNumbers<Key: Hashable> {
    private(set) var keys: [Key] = []
    private var numbers: [Key: Int] = [:]

    /// The number of `key`, a new one if it has none yet.
    mutating func number(of key: Key) -> Int {
        if let number = numbers[key] { return number }
        numbers[key] = keys.count
        keys.append(key)
        return keys.count - 1
    }
}
