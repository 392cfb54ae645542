import Foundation

/// A `Decimal` as sign, 64-bit significand and power of ten, read straight from its storage.
///
/// `Decimal.description` and `NSDecimalRound` divide a 128-bit mantissa by ten digit by digit;
/// at province scale a build formats millions of amounts and that was a tenth of its time.
/// Foundation keeps `Decimal` in the layout of C's `NSDecimal` — an exponent byte; a byte whose
/// high nibble is the number of 16-bit mantissa words and whose bit 3 is the sign; two reserved
/// bytes; eight little-endian words — but does not make it public, so the layout is checked
/// against `description` once, and any mismatch (or a significand over 64 bits) leaves every
/// value to Foundation.
struct DecimalParts: Equatable {
    let negative: Bool
    let significand: UInt64
    let exponent: Int

    private static func read(_ value: Decimal) -> DecimalParts? {
        withUnsafeBytes(of: value) { bytes -> DecimalParts? in
            guard bytes.count == 20 else { return nil }
            let words = Int(bytes[1] >> 4)
            let negative = bytes[1] & 0x08 != 0
            guard words <= 4, !(words == 0 && negative) else { return nil } // NaN, or more than 64 bits
            var significand: UInt64 = 0
            for word in stride(from: words - 1, through: 0, by: -1) {
                significand = significand << 16 | UInt64(bytes.loadUnaligned(fromByteOffset: 4 + 2 * word, as: UInt16.self).littleEndian)
            }
            return DecimalParts(negative: negative, significand: significand, exponent: Int(Int8(bitPattern: bytes[0])))
        }
    }

    static let layoutMatches: Bool = ["0", "1", "-1.5", "65536", "-4294967296.25", "0.000001", "18446744073709551615", "1234567890123.456789"].allSatisfy { sample in
        guard let value = Decimal(string: sample, locale: Locale(identifier: "en_US_POSIX")), let parts = read(value) else { return false }
        return parts.text == value.description
    }

    /// Rounded half away from zero to at most `places` decimals, as `NSDecimalRound(.plain)`.
    func rounded(places: Int) -> DecimalParts {
        let dropped = -places - exponent
        guard dropped > 0 else { return self }
        guard dropped < 20 else { return DecimalParts(negative: negative, significand: 0, exponent: -places) }
        var power: UInt64 = 1
        for _ in 0..<dropped { power *= 10 }
        let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: power)
        let roundsUp = remainder >= power - remainder
        return DecimalParts(negative: negative, significand: quotient + (roundsUp ? 1 : 0), exponent: -places)
    }

    var decimal: Decimal {
        Decimal(sign: negative && significand != 0 ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }

    /// As `Decimal.description` writes it: no exponent notation, no trailing zeros after the point.
    /// Written byte by byte into the string's own storage: cutting and joining `String`s took a
    /// few percent of a province's build, which prints millions of amounts.
    var text: String {
        guard significand != 0 else { return "0" }
        // Zeros that would trail the point are not written: dropped from the significand first.
        var (significand, exponent) = (self.significand, self.exponent)
        while exponent < 0, significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
        // A UInt64 has at most 20 digits; they come out last first.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { reversed in
            var count = 0
            repeat {
                reversed[count] = UInt8(ascii: "0") + UInt8(significand % 10)
                significand /= 10
                count += 1
            } while significand > 0
            // Digits before the point, when there is one; zeros after the digits, or between the point and them.
            let point = count + exponent
            let zeros = exponent >= 0 ? exponent : max(0, -point)
            let length = (negative ? 1 : 0) + count + zeros + (exponent >= 0 ? 0 : point > 0 ? 1 : 2)
            return String(unsafeUninitializedCapacity: length) { text in
                var written = 0
                func put(_ byte: UInt8) {
                    text[written] = byte
                    written += 1
                }
                if negative { put(UInt8(ascii: "-")) }
                if exponent < 0, point <= 0 {
                    put(UInt8(ascii: "0"))
                    put(UInt8(ascii: "."))
                    for _ in 0..<zeros { put(UInt8(ascii: "0")) }
                }
                for (index, digit) in reversed[..<count].reversed().enumerated() {
                    if exponent < 0, point > 0, index == point { put(UInt8(ascii: ".")) }
                    put(digit)
                }
                if exponent >= 0 {
                    for _ in 0..<zeros { put(UInt8(ascii: "0")) }
                }
                return written
            }
        }
    }
}

extension DecimalParts {
    /// `nil` for NaN, a significand over 64 bits, or a Foundation whose layout is not `NSDecimal`'s.
    init?(_ value: Decimal) {
        guard Self.layoutMatches, let parts = Self.read(value) else { return nil }
        self = parts
    }

    /// How `a` compares with `b`, as `Decimal`'s operators would say. Foundation aligns two
    /// 128-bit mantissas for every comparison; a province's build compares every disclosure
    /// with its limit and sorts ten thousand totals per pollutant page, so values that fit in
    /// 64 bits at a common exponent are compared here and only the rest by Foundation.
    static func compare(_ a: Decimal, _ b: Decimal) -> ComparisonResult {
        if let x = DecimalParts(a), let y = DecimalParts(b), let order = x.order(comparedWith: y) { return order }
        return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    }

    private func order(comparedWith other: DecimalParts) -> ComparisonResult? {
        let (mine, theirs) = (significand == 0 ? 0 : negative ? -1 : 1, other.significand == 0 ? 0 : other.negative ? -1 : 1)
        guard mine == theirs, mine != 0 else { return mine < theirs ? .orderedAscending : mine > theirs ? .orderedDescending : .orderedSame }
        let common = min(exponent, other.exponent)
        guard let x = Self.scaled(significand, by: exponent - common), let y = Self.scaled(other.significand, by: other.exponent - common) else { return nil }
        let magnitude: ComparisonResult = x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        guard negative, magnitude != .orderedSame else { return magnitude }
        return magnitude == .orderedAscending ? .orderedDescending : .orderedAscending
    }

    /// The change from `from` to `to` as a fraction of `from`, in tenths of a percent rounded
    /// half away from zero (as `NumberFormat.percent` rounds), with its sign; `nil` where
    /// `from` is not positive or either value does not fit. Worked out in integers: a `Decimal`
    /// subtraction, division and rounding for each metal's trend on each enterprise page were
    /// a sixth of a province build's charts.
    static func percentChange(from: Decimal, to: Decimal) -> (sign: Int, tenths: UInt64)? {
        guard let a = DecimalParts(from), let b = DecimalParts(to), !a.negative, a.significand > 0, !b.negative || b.significand == 0 else { return nil }
        let common = min(a.exponent, b.exponent)
        guard let x = scaled(a.significand, by: a.exponent - common), let y = scaled(b.significand, by: b.exponent - common) else { return nil }
        let (product, overflow) = (y >= x ? y - x : x - y).multipliedReportingOverflow(by: 1000)
        guard !overflow else { return nil }
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: x)
        return (y > x ? 1 : y < x ? -1 : 0, quotient + (remainder >= x - remainder ? 1 : 0))
    }

    /// `value` × 10^`power`, `nil` when it overflows.
    static func scaled(_ value: UInt64, by power: Int) -> UInt64? {
        var result = value
        for _ in 0..<power {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }
}

/// Adds exact decimals in a 64-bit significand while they fit — amounts with a few decimals
/// always do — instead of `Decimal`'s 128-bit arithmetic per addition, a few percent of every
/// build; anything else (negative, too many digits, overflow) goes on in `Decimal`.
struct DecimalSum {
    private var significand: UInt64 = 0
    private var exponent = 0
    private var fallback: Decimal?

    mutating func add(_ value: Decimal) {
        if fallback == nil, let parts = DecimalParts(value), !parts.negative, let sum = adding(parts) {
            (significand, exponent) = sum
        } else {
            fallback = total + value
        }
    }

    var total: Decimal {
        fallback ?? DecimalParts(negative: false, significand: significand, exponent: exponent).decimal
    }

    private func adding(_ parts: DecimalParts) -> (UInt64, Int)? {
        let common = min(exponent, parts.exponent)
        guard let mine = DecimalParts.scaled(significand, by: exponent - common),
              let theirs = DecimalParts.scaled(parts.significand, by: parts.exponent - common) else { return nil }
        let (sum, overflow) = mine.addingReportingOverflow(theirs)
        return overflow ? nil : (sum, common)
    }
}
