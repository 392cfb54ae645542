import CoreFoundation
import Foundation

/// Compares names as `String.compare(_:options: .caseInsensitive, locale:)` does, through Core
/// Foundation with its locale made once: Foundation makes a new `CFLocale` for every comparison,
/// which was most of the time spent putting ten thousand names in pinyin order.
struct NameCollation {
    private let locale: CFLocale
    private static let flags = CFStringCompareFlags(rawValue: CFStringCompareFlags.compareCaseInsensitive.rawValue | CFStringCompareFlags.compareNonliteral.rawValue)

    init(localeIdentifier: String) {
        locale = CFLocaleCreate(kCFAllocatorDefault, Self.text(localeIdentifier))
    }

    /// A name made ready to compare, once per name rather than per comparison.
    struct Key {
        fileprivate let text: CFString
    }

    func key(_ name: String) -> Key {
        Key(text: Self.text(name))
    }

    func compare(_ first: Key, _ second: Key) -> ComparisonResult {
        let result = CFStringCompareWithOptionsAndLocale(first.text, second.text, CFRangeMake(0, CFStringGetLength(first.text)), Self.flags, locale)
        return result == .compareLessThan ? .orderedAscending : result == .compareGreaterThan ? .orderedDescending : .orderedSame
    }

    private static func text(_ string: String) -> CFString {
        let bytes = Array(string.utf8)
        return CFStringCreateWithBytes(kCFAllocatorDefault, bytes, bytes.count, CFStringBuiltInEncodings.UTF8.rawValue, false)
    }
}
