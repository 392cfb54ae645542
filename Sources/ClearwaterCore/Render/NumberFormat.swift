import Foundation

/// Shows exact decimals the way both Chinese and English readers expect: digits grouped by
/// thousands with `,`, the decimal part exactly as computed. Written by hand because
/// Foundation's formatters go through `Double` for `Decimal` on Linux.
enum NumberFormat {
    static func grouped(_ value: Decimal) -> String {
        if let parts = DecimalParts(value) {
            return parts.rounded(places: 6).text(grouped: true)
        }
        var plain = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &plain, 6, .plain)
        return group(rounded.description)
    }

    /// The exact value as `Decimal.description` writes it (`1234.5`), for data attributes,
    /// downloads and digests.
    static func plain(_ value: Decimal) -> String {
        DecimalParts(value)?.text(grouped: false) ?? value.description
    }

    private static func group(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        let integer = String(parts.first ?? "0")
        var grouped = ""
        for (index, character) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return (negative ? "-" : "") + grouped + fraction
    }

    /// Two decimals for kilogram totals: `21,060.43`.
    static func kilograms(_ value: Decimal) -> String {
        if let parts = DecimalParts(value) { return padded(parts.rounded(places: 2).text(grouped: true), minimumFractionDigits: 2) }
        return padded(grouped(rounded(value, places: 2)), minimumFractionDigits: 2)
    }

    /// A fraction as a percentage with at most one decimal: 0.6 → `60%`, 0.0583 → `5.8%`.
    static func percent(_ fraction: Decimal) -> String {
        grouped(rounded(fraction * 100, places: 1)) + "%"
    }

    static func rounded(_ value: Decimal, places: Int) -> Decimal {
        if let parts = DecimalParts(value) { return parts.rounded(places: places).decimal }
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return result
    }

    private static func padded(_ grouped: String, minimumFractionDigits: Int) -> String {
        var text = grouped
        let fractionDigits = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
        if fractionDigits < minimumFractionDigits {
            if fractionDigits == 0 { text += "." }
            text += String(repeating: "0", count: minimumFractionDigits - fractionDigits)
        }
        return text
    }
}

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
        return parts.text(grouped: false) == value.description
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

    /// Like `Decimal.description`: no exponent notation, no trailing zeros after the point;
    /// `grouped` puts `,` between thousands.
    func text(grouped: Bool) -> String {
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
        if grouped, digits.count > 3 {
            var withCommas = ""
            for (index, character) in digits.enumerated() {
                if index > 0 && (digits.count - index) % 3 == 0 { withCommas.append(",") }
                withCommas.append(character)
            }
            digits = withCommas
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
