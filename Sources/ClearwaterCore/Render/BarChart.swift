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
        let maximum = groups.lazy.flatMap(\.values).compactMap { $0 }.max { DecimalParts.compare($0, $1) == .orderedAscending } ?? 0
        let scaleMax = Self.niceCeiling(maximum)
        let scaleMaxValue = Self.double(scaleMax)
        // In binary floating point: a bar's width need not be exact, and a Decimal division
        // plus String(format:) per bar was a tenth of rendering an enterprise page.
        func percent(_ value: Decimal) -> String {
            guard scaleMax > 0 else { return "0" }
            let hundredths = (max(0, Self.double(value) / scaleMaxValue * Self.maxBarPercent) * 100).rounded()
            let whole = Int(hundredths) / 100
            let fraction = Int(hundredths) % 100
            return "\(whole)." + (fraction < 10 ? "0" : "") + String(fraction)
        }
        var body = ""
        body.reserveCapacity(groups.count * (80 + series.count * 300))
        let seriesNames = series.map(escape)
        var y = 0.0
        for group in groups {
            y += Self.labelHeight
            body += "<text class=\"chart-group\" x=\"0\" y=\"\(Self.coordinate(y - 5))\">\(escape(group.label))</text>\n"
            for (index, value) in group.values.enumerated() {
                if let value {
                    let width = percent(value)
                    let kilograms = NumberFormat.kilograms(value)
                    body += "<rect class=\"bar series-\(index)\" x=\"0\" y=\"\(Self.coordinate(y))\" width=\"\(width)%\" height=\"\(Self.coordinate(Self.barHeight))\"><title>\(index < seriesNames.count ? seriesNames[index] : "") \(kilograms)</title></rect>"
                    body += "<text class=\"chart-value\" x=\"\(width)%\" dx=\"4\" y=\"\(Self.coordinate(y + Self.barHeight - 3))\">\(kilograms)</text>\n"
                }
                y += Self.barHeight + Self.barGap
            }
            y += Self.groupGap
        }
        let plotBottom = y
        var axis = "<line class=\"chart-axis\" x1=\"0\" y1=\"\(Self.coordinate(plotBottom))\" x2=\"\(Self.maxBarPercent)%\" y2=\"\(Self.coordinate(plotBottom))\"/>\n"
        for (step, fraction) in Self.tickFractions.enumerated() {
            let value = scaleMax * fraction
            let x = percent(value)
            axis += "<line class=\"chart-grid\" x1=\"\(x)%\" y1=\"0\" x2=\"\(x)%\" y2=\"\(Self.coordinate(plotBottom + 4))\"/>"
            axis += "<text class=\"chart-tick\" x=\"\(x)%\" y=\"\(Self.coordinate(plotBottom + 16))\" text-anchor=\"\(step == 0 ? "start" : "middle")\">\(NumberFormat.grouped(NumberFormat.rounded(value, places: 2)))</text>\n"
        }
        axis += "<text class=\"chart-axis-label\" x=\"0\" y=\"\(Self.coordinate(plotBottom + 34))\">\(escape(axisLabel))</text>\n"
        let height = Int((plotBottom + Self.axisHeight).rounded(.up))
        return """
        <svg class="chart" width="100%" height="\(height)" role="img" aria-labelledby="\(id)-title \(id)-desc" xmlns="http://www.w3.org/2000/svg">
        <title id="\(id)-title">\(escape(title))</title>
        <desc id="\(id)-desc">\(escape(summary))</desc>
        \(axis)\(body)</svg>
        """
    }

    /// Where the five ticks stand on the scale. Multiplied, not divided by four: a `Decimal`
    /// division is a long division, and every enterprise page has a chart.
    private static let tickFractions: [Decimal] = ["0", "0.25", "0.5", "0.75", "1"].map { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX"))! }

    private static func double(_ value: Decimal) -> Double {
        guard let parts = DecimalParts(value), parts.significand < 1 << 53, abs(parts.exponent) <= 22 else {
            return NSDecimalNumber(decimal: value).doubleValue
        }
        let magnitude = parts.exponent < 0 ? Double(parts.significand) / pow(10, Double(-parts.exponent)) : Double(parts.significand) * pow(10, Double(parts.exponent))
        return parts.negative ? -magnitude : magnitude
    }

    private func escape(_ text: String) -> String { XMLText.escape(text) }

    /// A coordinate as `Double.description` writes it, `18.0`, by integer where it is whole
    /// (every one is, the heights being whole pixels): the floating-point printer ran for every
    /// bar of every enterprise page.
    private static func coordinate(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int(value)).0" : "\(value)"
    }

    private static let steps: [Decimal] = [1, 2, 2.5, 5, 10]

    /// The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`, so the ticks read as round numbers.
    /// The power of ten from the value's digits: stepping to it by `Decimal` multiplications
    /// and divisions was a twentieth of rendering an enterprise page.
    static func niceCeiling(_ value: Decimal) -> Decimal {
        guard value > 0 else { return 0 }
        var magnitude = Decimal(1)
        if let parts = DecimalParts(value), parts.significand > 0 {
            var digits = 0
            var rest = parts.significand
            while rest > 0 { (rest, digits) = (rest / 10, digits + 1) }
            magnitude = Decimal(sign: .plus, exponent: parts.exponent + digits - 1, significand: 1)
        } else {
            while magnitude * 10 <= value { magnitude *= 10 }
            while magnitude > value { magnitude /= 10 }
        }
        for step in steps where magnitude * step >= value {
            return magnitude * step
        }
        return magnitude * 10
    }
}
