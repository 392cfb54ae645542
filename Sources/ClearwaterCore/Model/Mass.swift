import Foundation

/// The units a disclosure may use.
public enum MassUnit: String, CaseIterable, Sendable {
    case g, kg, t

    /// The power of ten that turns the unit into kilograms.
    var kilogramsExponent: Int {
        switch self {
        case .g: -3
        case .kg: 0
        case .t: 3
        }
    }
}

/// An amount of a pollutant as disclosed: an exact decimal in the unit the enterprise used.
///
/// Foundation's `Decimal` is base 10, so 0.1 + 0.2 is 0.3 and 21,060.43 stays 21,060.43;
/// no binary floating point touches a published figure.
public struct Mass: Hashable, Sendable {
    public let value: Decimal
    public let unit: MassUnit

    public init(_ value: Decimal, _ unit: MassUnit) {
        self.value = value
        self.unit = unit
    }

    /// The same digits with the exponent moved, exact like a multiplication by a power of ten:
    /// a `Decimal` multiplication aligns two 128-bit mantissas, and on a site disclosing in
    /// grams and tonnes those were a third of rendering the pages a changed row changes. An amount
    /// has at most 30 digits (`DecimalText`), so its exponent stays far inside `Decimal`'s.
    public var kilograms: Decimal {
        unit == .kg ? value : Decimal(sign: value.sign, exponent: value.exponent + unit.kilogramsExponent, significand: value.significand)
    }
}

/// Parses the contract's decimals: digits, optionally a `.` and more digits. No sign, no
/// exponent, no thousands separators, so a figure means the same to every reader.
public enum DecimalText {
    public enum Problem: Error, Equatable, Sendable {
        case empty, negative, thousandsSeparator, fullWidth, innerSpace, malformed

        public var message: String {
            switch self {
            case .empty: "is required"
            case .negative: "must not be negative"
            case .thousandsSeparator: "must not use thousands separators (write 1234.5, not 1,234.5)"
            case .fullWidth: "has full-width digits or spaces; type it with ASCII digits 0-9 and '.'"
            case .innerSpace: "has a space inside; write the digits together (1234.5, not 1 234.5)"
            case .malformed: "is not a decimal number (digits with an optional '.', at most 30 digits)"
            }
        }
    }

    public static func parse(_ text: String) -> Result<Decimal, Problem> {
        if let value = plainDigits(text) { return .success(value) }
        if text.isEmpty { return .failure(.empty) }
        if text.hasPrefix("-") { return .failure(.negative) }
        if text.unicodeScalars.contains(where: { (0xFF10...0xFF19).contains($0.value) || $0.value == 0x3000 || $0.value == 0xFF0E }) {
            return .failure(.fullWidth)
        }
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return .failure(.innerSpace) }
        if text.unicodeScalars.contains("\u{FF0C}") { return .failure(.thousandsSeparator) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let isDigits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
        guard parts.count <= 2, parts.allSatisfy(isDigits) else {
            return .failure(text.contains(",") ? .thousandsSeparator : .malformed)
        }
        let digits = parts.reduce(0) { $0 + $1.count }
        guard digits <= 30 else { return .failure(.malformed) }
        guard let value = Decimal(string: text, locale: posix) else { return .failure(.malformed) }
        return .success(value)
    }

    private static let posix = Locale(identifier: "en_US_POSIX")

    /// Digits with at most one `.` between them, up to 18 in all — nearly every cell — checked and
    /// read in one pass over the bytes; anything else takes the path that names the problem.
    private static func plainDigits(_ text: String) -> Decimal? {
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits: Int?
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard digits < 18 else { return nil }
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                fractionDigits = fractionDigits.map { $0 + 1 }
            case UInt8(ascii: ".") where fractionDigits == nil && digits > 0:
                fractionDigits = 0
            default:
                return nil
            }
        }
        guard digits > 0, fractionDigits != 0 else { return nil }
        return Decimal(sign: .plus, exponent: -(fractionDigits ?? 0), significand: Decimal(significand))
    }
}
