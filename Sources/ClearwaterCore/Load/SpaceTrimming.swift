extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` — the same set, Unicode Zs and tab — without the
    /// trip through NSString, which took a third of `check` on a 50,000-row file.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpace }), let last = scalars.lastIndex(where: { !$0.isSpace }) else { return "" }
        return String(self[first...last])
    }
}

extension Unicode.Scalar {
    var isSpace: Bool { value == 9 || properties.generalCategory == .spaceSeparator }
}
