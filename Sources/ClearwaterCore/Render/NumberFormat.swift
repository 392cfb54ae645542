import Foundation

/// Shows exact decimals the way both Chinese and English readers expect: digits grouped by
/// thousands with `,`, the decimal part exactly as computed. Written by hand because
/// Foundation's formatters go through `Double` for `Decimal` on Linux.
enum NumberFormat {
    static func grouped(_ value: Decimal) -> String {
        if let parts = DecimalParts(value) { return grouped(parts) }
        var plain = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &plain, 6, .plain)
        return group(rounded.description)
    }

    static func grouped(_ parts: DecimalParts) -> String {
        group(parts.rounded(places: 6).text)
    }

    /// The exact value as `Decimal.description` writes it (`1234.5`), for data attributes,
    /// downloads and digests.
    static func plain(_ value: Decimal) -> String {
        DecimalParts(value)?.text ?? value.description
    }

    /// `-1234567.5` → `-1,234,567.5`; on bytes, and untouched below a thousand, since it runs
    /// for every figure a province's pages print.
    private static func group(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let start = bytes.first == UInt8(ascii: "-") ? 1 : 0
        let point = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
        guard point - start > 3 else { return text }
        var grouped = Array(bytes[..<start])
        for index in start..<point {
            if index > start && (point - index) % 3 == 0 { grouped.append(UInt8(ascii: ",")) }
            grouped.append(bytes[index])
        }
        grouped += bytes[point...]
        return String(decoding: grouped, as: UTF8.self)
    }

    /// Two decimals for kilogram totals: `21,060.43`.
    static func kilograms(_ value: Decimal) -> String {
        if let parts = DecimalParts(value) { return padded(group(parts.rounded(places: 2).text), minimumFractionDigits: 2) }
        return padded(grouped(rounded(value, places: 2)), minimumFractionDigits: 2)
    }

    /// A fraction as a percentage with at most one decimal: 0.6 → `60%`, 0.0583 → `5.8%`.
    static func percent(_ fraction: Decimal) -> String {
        grouped(rounded(fraction * 100, places: 1)) + "%"
    }

    /// The change from `from` to `to` as a signed percentage of `from`, rounded as `percent`
    /// rounds: 120 → 98.5 is `−17.9%`, no change `±0%`. In integers where the values fit
    /// (`DecimalParts.percentChange`), else in `Decimal`. `from` must be positive.
    static func percentChange(from: Decimal, to: Decimal) -> String {
        let (sign, magnitude): (Int, String)
        if let (changeSign, tenths) = DecimalParts.percentChange(from: from, to: to) {
            (sign, magnitude) = (changeSign, grouped(Decimal(sign: .plus, exponent: -1, significand: Decimal(tenths))) + "%")
        } else {
            let fraction = (to - from) / from
            (sign, magnitude) = (fraction > 0 ? 1 : fraction < 0 ? -1 : 0, percent(abs(fraction)))
        }
        return (sign > 0 ? "+" : sign < 0 ? "−" : "±") + magnitude
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
        // Counted in bytes: the digits after the point are ASCII.
        let utf8 = text.utf8
        let fractionDigits = utf8.firstIndex(of: UInt8(ascii: ".")).map { utf8.distance(from: $0, to: utf8.endIndex) - 1 } ?? 0
        if fractionDigits < minimumFractionDigits {
            if fractionDigits == 0 { text += "." }
            text += String(repeating: "0", count: minimumFractionDigits - fractionDigits)
        }
        return text
    }
}
