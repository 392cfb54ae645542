import Foundation

/// A horizontal grouped bar chart, drawn as SVG at build time.
///
/// Horizontal because category labels (years, metals, enterprise names) read best on their
/// own line on a phone; bar lengths are percentages of the SVG's width and text is in pixels,
/// so the chart reflows to any screen and prints sharp without scaling its lettering.
struct BarChart {
    struct Group {
        let label: String
        /// One value per series, `nil` where there is nothing to draw.
        let values: [Decimal?]
    }

    /// Unique within the page; the SVG's title and description hang off it.
    let id: String
    let title: String
    let series: [String]
    let groups: [Group]
    /// The value axis's label in the page's language, e.g. "Kilograms per year".
    let axisLabel: String
    /// The chart in words, for every reader who cannot see it.
    let summary: String

    private static let barHeight = 14.0
    private static let barGap = 3.0
    private static let labelHeight = 18.0
    private static let groupGap = 10.0
    private static let axisHeight = 38.0
    /// The longest bar leaves room after it for its value.
    private static let maxBarPercent = 76.0
    private static let maxBarPercentText = maxBarPercent.description

    var isEmpty: Bool { groups.allSatisfy { $0.values.allSatisfy { $0 == nil } } }

    func context() -> [String: Any] {
        [
            "id": id,
            "title": title,
            "summary": summary,
            "svg": svg(),
            "hasLegend": series.count > 1,
            "legend": series.enumerated().map { ["label": $1, "index": String($0)] },
        ]
    }

    func svg() -> String {
        var maximum: Decimal = 0
        for group in groups {
            for case let value? in group.values where DecimalParts.compare(value, maximum) == .orderedDescending { maximum = value }
        }
        let scaleMax = Self.niceCeiling(maximum)
        let scaleMaxValue = Self.double(scaleMax)
        // The plot's height comes first, in the `<svg>` tag: every group has a label and a gap,
        // every value a bar's room, drawn or not. Whole pixels, so the sum is exact.
        let valueCount = groups.reduce(0) { $0 + $1.values.count }
        let plotBottom = Double(groups.count) * (Self.labelHeight + Self.groupGap) + Double(valueCount) * (Self.barHeight + Self.barGap)
        var markup = Markup(capacity: 1024 + groups.count * (80 + series.count * 300))
        markup.add("<svg class=\"chart\" width=\"100%\" height=\"")
        markup.add(Int((plotBottom + Self.axisHeight).rounded(.up)))
        markup.add("\" role=\"img\" aria-labelledby=\"", id, "-title ", id, "-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n")
        markup.add("<title id=\"", id, "-title\">", escape(title), "</title>\n<desc id=\"", id, "-desc\">", escape(summary), "</desc>\n")

        markup.add("<line class=\"chart-axis\" x1=\"0\" y1=\"")
        markup.add(coordinate: plotBottom)
        markup.add("\" x2=\"", Self.maxBarPercentText, "%\" y2=\"")
        markup.add(coordinate: plotBottom)
        markup.add("\"/>\n")
        for quarters in 0...4 {
            // The bar's own arithmetic for a tick's place: a quarter of the scale is exactly that.
            let x = Self.percent(Double(quarters) / 4, scaleMaxValue: scaleMaxValue)
            markup.add("<line class=\"chart-grid\" x1=\"", x, "%\" y1=\"0\" x2=\"", x, "%\" y2=\"")
            markup.add(coordinate: plotBottom + 4)
            markup.add("\"/><text class=\"chart-tick\" x=\"", x, "%\" y=\"")
            markup.add(coordinate: plotBottom + 16)
            markup.add("\" text-anchor=\"", quarters == 0 ? "start" : "middle", "\">", Self.tickLabel(scaleMax, quarters: quarters), "</text>\n")
        }
        markup.add("<text class=\"chart-axis-label\" x=\"0\" y=\"")
        markup.add(coordinate: plotBottom + 34)
        markup.add("\">", escape(axisLabel), "</text>\n")

        let seriesNames = series.map(escape)
        var y = 0.0
        for group in groups {
            y += Self.labelHeight
            markup.add("<text class=\"chart-group\" x=\"0\" y=\"")
            markup.add(coordinate: y - 5)
            markup.add("\">", escape(group.label), "</text>\n")
            for (index, value) in group.values.enumerated() {
                if let value {
                    let width = Self.percent(Self.double(value) / scaleMaxValue, scaleMaxValue: scaleMaxValue)
                    let kilograms = NumberFormat.kilograms(value)
                    markup.add("<rect class=\"bar series-")
                    markup.add(index)
                    markup.add("\" x=\"0\" y=\"")
                    markup.add(coordinate: y)
                    markup.add("\" width=\"", width, "%\" height=\"")
                    markup.add(coordinate: Self.barHeight)
                    markup.add("\"><title>", index < seriesNames.count ? seriesNames[index] : "", " ", kilograms, "</title></rect>")
                    markup.add("<text class=\"chart-value\" x=\"", width, "%\" dx=\"4\" y=\"")
                    markup.add(coordinate: y + Self.barHeight - 3)
                    markup.add("\">", kilograms, "</text>\n")
                }
                y += Self.barHeight + Self.barGap
            }
            y += Self.groupGap
        }
        markup.add("</svg>")
        return String(decoding: markup.bytes, as: UTF8.self)
    }

    /// A bar's length, or a tick's place, as a percentage of the width with two decimals: in
    /// binary floating point, since a bar's width need not be exact, and a `Decimal` division
    /// plus `String(format:)` per bar was a tenth of rendering an enterprise page.
    private static func percent(_ fractionOfScale: Double, scaleMaxValue: Double) -> String {
        guard scaleMaxValue > 0 else { return "0" }
        let hundredths = Int((max(0, fractionOfScale * Self.maxBarPercent) * 100).rounded())
        let fraction = hundredths % 100
        return String(hundredths / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    /// The SVG's UTF-8 bytes as they are written: interpolated, a `String` grew and was copied
    /// for every piece of every bar, a twentieth of a province's full build.
    private struct Markup {
        var bytes: [UInt8] = []

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func add(_ pieces: String...) {
            for piece in pieces { bytes.append(contentsOf: piece.utf8) }
        }

        /// Its decimal digits, written where they go.
        mutating func add(_ number: Int) {
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            var magnitude = number.magnitude, power: UInt = 1
            while power <= magnitude / 10 { power *= 10 }
            repeat {
                bytes.append(UInt8(ascii: "0") + UInt8(magnitude / power))
                magnitude %= power
                power /= 10
            } while power > 0
        }

        /// As `Double.description` writes it, `18.0`, by integer where it is whole (every one
        /// is, the heights being whole pixels): the floating-point printer ran for every bar.
        mutating func add(coordinate value: Double) {
            guard value == value.rounded(), abs(value) < 1e15 else { return add(value.description) }
            add(Int(value))
            add(".0")
        }
    }

    /// The label of the tick `quarters` fourths of the way along the scale. A quarter of a
    /// scale of 1, 2, 2.5 or 5 × 10ⁿ is its digits × 25 × 10ⁿ⁻², worked out in integers: a
    /// `Decimal` multiplication per tick of every enterprise page's chart was a tenth of drawing it.
    private static func tickLabel(_ scaleMax: Decimal, quarters: Int) -> String {
        if let parts = DecimalParts(scaleMax) {
            let (significand, overflow) = parts.significand.multipliedReportingOverflow(by: UInt64(25 * quarters))
            if !overflow { return NumberFormat.grouped(DecimalParts(negative: parts.negative, significand: significand, exponent: parts.exponent - 2).rounded(places: 2)) }
        }
        return NumberFormat.grouped(NumberFormat.rounded(scaleMax * tickFractions[quarters], places: 2))
    }

    /// Multiplied, not divided by four: a `Decimal` division is a long division.
    private static let tickFractions: [Decimal] = ["0", "0.25", "0.5", "0.75", "1"].map { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX"))! }

    private static func double(_ value: Decimal) -> Double {
        guard let parts = DecimalParts(value), parts.significand < 1 << 53, abs(parts.exponent) <= 22 else {
            return NSDecimalNumber(decimal: value).doubleValue
        }
        let magnitude = parts.exponent < 0 ? Double(parts.significand) / pow(10, Double(-parts.exponent)) : Double(parts.significand) * pow(10, Double(parts.exponent))
        return parts.negative ? -magnitude : magnitude
    }

    private func escape(_ text: String) -> String { XMLText.escape(text) }

    private static let steps: [Decimal] = [1, 2, 2.5, 5, 10]
    /// The steps × 10, to compare with a value's digits in integers.
    private static let tenfoldSteps: [UInt64] = [10, 20, 25, 50, 100]

    /// The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`, so the ticks read as round numbers.
    /// With the value's digits in a 64-bit integer, 10ⁿ is one below their count and each step
    /// is compared with them in integers: stepping to it by `Decimal` multiplications and
    /// comparisons was a twentieth of rendering an enterprise page.
    static func niceCeiling(_ value: Decimal) -> Decimal {
        if let parts = DecimalParts(value) {
            guard !parts.negative, parts.significand > 0 else { return 0 }
            var digits = 0
            var rest = parts.significand
            while rest > 0 { (rest, digits) = (rest / 10, digits + 1) }
            // value ≤ step × 10^(exponent + digits − 1) exactly when
            // significand × 10 ≤ (step × 10) × 10^(digits − 1).
            let (tenfold, overflow) = parts.significand.multipliedReportingOverflow(by: 10)
            if !overflow, let power = DecimalParts.scaled(1, by: digits - 1) {
                for step in tenfoldSteps {
                    let (bound, tooLarge) = power.multipliedReportingOverflow(by: step)
                    if tooLarge || bound >= tenfold {
                        return DecimalParts(negative: false, significand: step, exponent: parts.exponent + digits - 2).decimal
                    }
                }
            }
        }
        guard value > 0 else { return 0 }
        var magnitude = Decimal(1)
        while magnitude * 10 <= value { magnitude *= 10 }
        while magnitude > value { magnitude /= 10 }
        for step in steps where magnitude * step >= value {
            return magnitude * step
        }
        return magnitude * 10
    }
}
