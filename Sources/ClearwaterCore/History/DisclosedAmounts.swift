import Foundation

/// Every amount a snapshot records, sorted by key, each key once.
///
/// Half a million of them at province scale. Kept as a sorted list rather than a dictionary,
/// the snapshot writes them without sorting, reads them without hashing, and two snapshots
/// are compared by walking both lists side by side.
struct DisclosedAmounts: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        /// `enterprise_id|year|pollutant|medium`.
        let key: String
        /// Kilograms, as exact decimal text.
        let kilograms: String
    }

    private(set) var entries: [Entry]

    /// A list already in order, as a snapshot file holds it, is only checked; otherwise it is
    /// sorted (the standard library's sort is stable), and of a key given twice, which a valid
    /// site never has, the first is kept.
    init(_ entries: [Entry]) {
        let isOrdered = zip(entries, entries.dropFirst()).allSatisfy { $0.key < $1.key }
        guard !isOrdered else {
            self.entries = entries
            return
        }
        var sorted = entries.sorted { $0.key < $1.key }
        var kept = 0
        for index in sorted.indices where kept == 0 || sorted[kept - 1].key != sorted[index].key {
            sorted[kept] = sorted[index]
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        self.entries = sorted
    }

    enum Difference {
        case added(Entry)
        case removed(Entry)
        /// The same key with another amount: the entry before, and the entry now.
        case changed(Entry, Entry)
    }

    /// What differs from `previous`, in key order. Texts that differ may still be equal
    /// amounts (`1.50` and `1.5`); those are not a difference.
    func differences(from previous: DisclosedAmounts) -> [Difference] {
        let (then, now) = (previous.entries, entries)
        var differences: [Difference] = []
        var (old, new) = (0, 0)
        while old < then.count || new < now.count {
            if new == now.count || old < then.count && then[old].key < now[new].key {
                differences.append(.removed(then[old]))
                old += 1
            } else if old == then.count || now[new].key < then[old].key {
                differences.append(.added(now[new]))
                new += 1
            } else {
                let (before, after) = (then[old], now[new])
                if before.kilograms != after.kilograms && Decimal(string: before.kilograms) != Decimal(string: after.kilograms) {
                    differences.append(.changed(before, after))
                }
                old += 1
                new += 1
            }
        }
        return differences
    }
}
