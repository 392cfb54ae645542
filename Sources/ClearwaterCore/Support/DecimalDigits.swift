extension [UInt8] {
    /// Appends an integer's decimal digits, a minus sign first when it is negative: straight
    /// into the bytes, where a `String` per number — most of them too long to be held inline —
    /// was most of the cost of hashing a disclosure or writing a manifest line. The digits are
    /// made last first in a small buffer of their own and appended at once: appended one by one
    /// and then reversed in place, each was a call with its own checks.
    mutating func appendDecimal(_ value: some BinaryInteger) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var rest = UInt64(value.magnitude)
        // A 64-bit integer has at most twenty digits.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
