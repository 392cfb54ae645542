extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` — the same set, Unicode Zs and tab — without the
    /// trip through NSString, which took a third of `check` on a 50,000-row file.
    var trimmingSpaces: String {
        // Most cells have no space at either end.
        let scalars = unicodeScalars
        if let first = scalars.first, let last = scalars.last, !first.isSpace, !last.isSpace { return String(self) }
        guard let first = scalars.firstIndex(where: { !$0.isSpace }), let last = scalars.lastIndex(where: { !$0.isSpace }) else { return "" }
        return String(self[first...last])
    }
}

extension Unicode.Scalar {
    /// Tab or a space separator (Zs). ASCII and anything past U+3000, the last space, are
    /// decided without a property lookup: Chinese cells begin and end with ideographs.
    var isSpace: Bool { value < 0x80 ? value == 9 || value == 0x20 : value <= 0x3000 && properties.generalCategory == .spaceSeparator }
}
