import Foundation

/// Figures a page shows in every language, made by the first of its pages to ask and read by
/// the others: the pages of every language render at once, and at province scale each of these
/// figures is a pass over a hundred thousand disclosures or more.
final class SharedFigures<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Key: Slot] = [:]

    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var value: Value?
    }

    func value(for key: Key, making make: () -> Value) -> Value {
        let slot = lock.withLock {
            if let slot = slots[key] { return slot }
            let slot = Slot()
            slots[key] = slot
            return slot
        }
        // One lock per key: another key's pages need not wait for this one's figures.
        return slot.lock.withLock {
            if let value = slot.value { return value }
            let value = make()
            slot.value = value
            return value
        }
    }
}
