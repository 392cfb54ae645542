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
    var text: String {
        guard significand != 0 else { return "0" }
        var digits = String(significand)
        var fraction = ""
        if exponent >= 0 {
            digits += String(repeating: "0", count: exponent)
        } else {
            let point = digits.count + exponent
            if point > 0 {
                fraction = String(digits.suffix(-exponent))
                digits = String(digits.prefix(point))
            } else {
                fraction = String(repeating: "0", count: -point) + digits
                digits = "0"
            }
            while fraction.last == "0" { fraction.removeLast() }
        }
        return (negative ? "-" : "") + digits + (fraction.isEmpty ? "" : "." + fraction)
    }
}

extension DecimalParts {
    /// `nil` for NaN, a significand over 64 bits, or a Foundation whose layout is not `NSDecimal`'s.
    init?(_ value: Decimal) {
        guard Self.layoutMatches, let parts = Self.read(value) else { return nil }
        self = parts
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
        guard let mine = Self.scaled(significand, by: exponent - common),
              let theirs = Self.scaled(parts.significand, by: parts.exponent - common) else { return nil }
        let (sum, overflow) = mine.addingReportingOverflow(theirs)
        return overflow ? nil : (sum, common)
    }

    private static func scaled(_ value: UInt64, by power: Int) -> UInt64? {
        var result = value
        for _ in 0..<power {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }
}
