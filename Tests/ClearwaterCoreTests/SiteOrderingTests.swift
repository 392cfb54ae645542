@testable import ClearwaterCore
import Foundation
import Testing

/// The rows' order a build keeps for the next one (`Site.Ordering`) is used only where it fits
/// the rows: a kept order that points past them, leaves some out or lists an enterprise twice
/// is worked out again, never read out of bounds.
@Suite struct SiteOrderingTests {
    static func disclosure(_ id: String, _ year: Int, _ pollutant: String, _ medium: String) -> Disclosure {
        Disclosure(enterpriseID: id, year: year, pollutant: pollutant, medium: medium, amount: Mass(Decimal(1), .kg), method: nil,
                   destination: nil, limit: nil, basis: nil, source: nil)
    }

    static let rows = [disclosure("beta", 2019, "Pb", "air"), disclosure("alpha", 2019, "Cd", "water"), disclosure("alpha", 2020, "Pb", "air"),
                       disclosure("beta", 2020, "Cd", "air")]

    @Test func anOrderFitsOnlyRowsItCoversExactly() {
        let ordering = Site.Ordering(Self.rows, vocabulary: FuzzTests.vocabulary)
        #expect(ordering.order == [2, 1, 3, 0])
        #expect(ordering.runs == [Site.Ordering.Run(enterpriseID: "alpha", range: 0..<2), Site.Ordering.Run(enterpriseID: "beta", range: 2..<4)])
        #expect(ordering.latestYear == 2020)
        #expect(ordering.fits(Self.rows))
        #expect(!ordering.fits(Array(Self.rows.dropLast())))
        #expect(!ordering.fits(Self.rows + [Self.disclosure("gamma", 2020, "Pb", "air")]))
        let damaged = [
            Site.Ordering(order: [2, 1, 3, 4], runs: ordering.runs, pollutantPositions: ordering.pollutantPositions, latestYear: 2020),
            Site.Ordering(order: ordering.order, runs: [Site.Ordering.Run(enterpriseID: "alpha", range: 0..<2), Site.Ordering.Run(enterpriseID: "alpha", range: 2..<4)],
                          pollutantPositions: ordering.pollutantPositions, latestYear: 2020),
            Site.Ordering(order: ordering.order, runs: [Site.Ordering.Run(enterpriseID: "alpha", range: 0..<2), Site.Ordering.Run(enterpriseID: "beta", range: 3..<4)],
                          pollutantPositions: ordering.pollutantPositions, latestYear: 2020),
            Site.Ordering(order: ordering.order, runs: ordering.runs, pollutantPositions: ["Pb": [2, 0], "Cd": [1, 7]], latestYear: 2020),
            Site.Ordering(order: ordering.order, runs: ordering.runs, pollutantPositions: ["Pb": [2, 0]], latestYear: 2020),
        ]
        for kept in damaged { #expect(!kept.fits(Self.rows), "\(kept)") }
    }
}
