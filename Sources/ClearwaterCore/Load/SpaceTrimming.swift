extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` — the same set, Unicode Zs and tab — without the
    /// trip through NSString, which took a third of `check` on a 50,000-row file.
    var trimmingSpaces: String {
        // Most cells have no space at either end; ASCII ends are decided without Unicode properties.
        let scalars = unicodeScalars
        if let first = scalars.first, let last = scalars.last, (0x21..<0x80).contains(first.value), (0x21..<0x80).contains(last.value) { return String(self) }
        guard let first = scalars.firstIndex(where: { !$0.isSpace }), let last = scalars.lastIndex(where: { !$0.isSpace }) else { return "" }
        return String(self[first...last])
    }
}

extension Unicode.Scalar {
    var isSpace: Bool { value == 9 || properties.generalCategory == .spaceSeparator }
}
