extension [UInt8] {
    /// Appends an integer's decimal digits, a minus sign first when it is negative: straight
    /// into the bytes, where a `String` per number — most of them too long to be held inline —
    /// was most of the cost of hashing a disclosure or writing a manifest line.
    mutating func appendDecimal(_ value: some BinaryInteger) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var rest = UInt64(value.magnitude)
        let start = count
        repeat {
            append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        self[start...].reverse()
    }
}
