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
