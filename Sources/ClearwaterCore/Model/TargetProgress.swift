import Foundation

/// The plan's table read as progress: for each pollutant and medium, where it started,
/// where it stands and where it must get to. Every figure is summed from `targets.csv`.
public struct TargetProgress: Sendable {
    public struct Line: Sendable {
        public let pollutant: String?
        public let medium: String?
        public let baseline: Decimal?
        public let actual: Decimal?
        public let target: Decimal?

        /// Cut from baseline to the latest actual figure, as a fraction of the baseline.
        public var achievedReduction: Decimal? { Self.reduction(from: baseline, to: actual) }
        /// Cut from baseline to the target, as a fraction of the baseline.
        public var requiredReduction: Decimal? { Self.reduction(from: baseline, to: target) }

        static func reduction(from start: Decimal?, to end: Decimal?) -> Decimal? {
            guard let start, let end, start > 0 else { return nil }
            return (start - end) / start
        }
    }

    public let baselineYear: Int?
    public let actualYear: Int?
    public let targetYear: Int?
    /// One line per pollutant and medium with any figure, in vocabulary order.
    public let lines: [Line]
    /// Per medium, in vocabulary order.
    public let mediumTotals: [Line]
    public let total: Line

    public init(targets: [Target], vocabulary: Vocabulary) {
        func year(_ kind: TargetKind, latest: Bool) -> Int? {
            let years = targets.filter { $0.kind == kind }.map(\.year)
            return latest ? years.max() : years.min()
        }
        let baselineYear = year(.baseline, latest: false)
        let actualYear = year(.actual, latest: true)
        let targetYear = year(.target, latest: true)
        self.baselineYear = baselineYear
        self.actualYear = actualYear
        self.targetYear = targetYear

        func amount(_ kind: TargetKind, _ year: Int?, where include: (Target) -> Bool) -> Decimal? {
            let rows = targets.filter { $0.kind == kind && $0.year == year && include($0) }
            return rows.isEmpty ? nil : rows.reduce(Decimal(0)) { $0 + $1.kilograms }
        }
        func line(_ pollutant: String?, _ medium: String?) -> Line {
            let include: (Target) -> Bool = { ($0.pollutant == pollutant || pollutant == nil) && ($0.medium == medium || medium == nil) }
            return Line(pollutant: pollutant, medium: medium,
                        baseline: amount(.baseline, baselineYear, where: include),
                        actual: amount(.actual, actualYear, where: include),
                        target: amount(.target, targetYear, where: include))
        }
        var lines: [Line] = []
        for medium in vocabulary.media.keys {
            for pollutant in vocabulary.pollutants.keys where targets.contains(where: { $0.pollutant == pollutant && $0.medium == medium }) {
                lines.append(line(pollutant, medium))
            }
        }
        self.lines = lines
        mediumTotals = vocabulary.media.keys.filter { medium in targets.contains { $0.medium == medium } }.map { line(nil, $0) }
        total = line(nil, nil)
    }

    public var isEmpty: Bool { lines.isEmpty }
}
