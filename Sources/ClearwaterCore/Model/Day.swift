/// A calendar date as the contract writes it (`YYYY-MM-DD`), with no time zone to go wrong.
public struct Day: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Day.length(ofMonth: month, in: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Accepts exactly `YYYY-MM-DD` with a real day of a real month.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func length(ofMonth month: Int, in year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Written digit by digit into one string, which at ten bytes Swift keeps without an
    /// allocation: padded pieces joined by interpolation made five strings, for each of a
    /// province's 30,000 dates hashed in every rebuild and every date its pages show.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { text in
            func put(_ value: Int, digits: Int, endingAt end: Int) {
                var rest = value
                for index in stride(from: end - 1, through: end - digits, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            // The initializers keep the year within 1...9999 and the month and day within two digits.
            put(year, digits: 4, endingAt: 4)
            text[4] = UInt8(ascii: "-")
            put(month, digits: 2, endingAt: 7)
            text[7] = UInt8(ascii: "-")
            put(day, digits: 2, endingAt: 10)
            return 10
        }
    }
}
